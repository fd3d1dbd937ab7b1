"""The digests platforms sign with, and a constant-time comparison. One way to compute each."""

import base64
import hashlib
import hmac


def hmac_sha256(secret: str | bytes, message: str | bytes) -> bytes:
    return hmac.new(_bytes(secret), _bytes(message), hashlib.sha256).digest()


def hmac_sha256_base64(secret: str | bytes, message: str | bytes) -> str:
    return base64.b64encode(hmac_sha256(secret, message)).decode()


def hmac_sha256_hex(secret: str | bytes, message: str | bytes) -> str:
    return hmac_sha256(secret, message).hex()


def hmac_md5_hex(secret: str | bytes, message: str | bytes) -> str:
    return hmac.new(_bytes(secret), _bytes(message), hashlib.md5).hexdigest()


def md5_hex(message: str | bytes) -> str:
    return hashlib.md5(_bytes(message)).hexdigest()


def sha256_hex(message: str | bytes) -> str:
    return hashlib.sha256(_bytes(message)).hexdigest()


def same(expected: str, given: str | None) -> bool:
    """Constant-time equality; a missing signature never matches."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())


def _bytes(value: str | bytes) -> bytes:
    return value.encode() if isinstance(value, str) else value
