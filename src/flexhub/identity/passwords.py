"""Password hashes: scrypt (standard library) with a random salt per user, compared in constant time.

Stored as `scrypt$<n>$<r>$<p>$<salt>$<hash>` (base64), so the cost can be raised later and old hashes still
verify. A password is never logged, stored or returned; only this hash is kept.
"""

import base64
import hashlib
import hmac
import secrets
from functools import cache

N, R, P = 2**14, 8, 1  # about 16 MiB and some 50 ms per hash: slow for a guesser, fine for a sign-in
SALT_BYTES, HASH_BYTES = 16, 32
MIN_LENGTH, MAX_LENGTH = 10, 256  # the upper bound keeps one request from buying minutes of hashing


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, N, R, P)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        return hmac.compare_digest(_scrypt(password, base64.b64decode(salt), int(n), int(r), int(p)), expected)
    except ValueError:
        return False


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"a password has at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"a password has at most {MAX_LENGTH} characters"
    return None


@cache
def decoy_hash() -> str:
    """Verified against when no user has the login, so an unknown login costs what a wrong password does."""
    return hash_password(secrets.token_urlsafe(16))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=HASH_BYTES)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()
