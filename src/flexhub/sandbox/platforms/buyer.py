"""The one buyer every sandbox order comes from, with an address each platform renders its own way."""

import base64
import secrets

NAME = "Lin Wei"
FIRST, LAST = "Wei", "Lin"
PHONE = "13800138000"
EMAIL = "lin.wei@example.com"
COUNTRY = "CN"
PROVINCE = "浙江省"
CITY = "杭州市"
DISTRICT = "西湖区"
STREET = "文三路 90 号"
POSTCODE = "310000"


def new_secret(prefix: str = "", length: int = 16) -> str:
    """A fresh key for a new store (what the platform's console would show once)."""
    return prefix + secrets.token_hex(length)


def money(minor: int, digits: int = 2) -> str:
    """Minor units as the decimal text most platforms send ("99.00")."""
    return f"{minor / 10 ** digits:.{digits}f}"


def new_secret_base64(length: int = 16) -> str:
    """A fresh AES key, Base64 (Kuaishou's message key)."""
    return base64.b64encode(secrets.token_bytes(length)).decode()
