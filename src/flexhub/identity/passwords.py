"""Password hashes: Argon2id (pwdlib, argon2-cffi's RFC 9106 parameters) with a random salt per user.

Hashes made before Argon2 (`scrypt$<n>$<r>$<p>$<salt>$<hash>`, the standard library's scrypt at N=2^14, several
times under today's guidance) still verify, and a successful sign-in answers a new Argon2id hash to store in
their place; so does an Argon2 hash whose parameters are older than today's. A password is never logged, stored
or returned; only this hash is kept.
"""

import base64
import hashlib
import hmac
import secrets
from functools import cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

MIN_LENGTH, MAX_LENGTH = 10, 256  # the upper bound keeps one request from buying minutes of hashing
LEGACY_SCRYPT = "scrypt$"
_HASHER = PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password: str, stored: str) -> bool:
    return verify_and_update(password, stored)[0]


def verify_and_update(password: str, stored: str) -> tuple[bool, str | None]:
    """Whether `password` matches `stored`, and the hash to store instead when `stored` is out of date."""
    if stored.startswith(LEGACY_SCRYPT):
        matches = _verify_scrypt(password, stored)
        return matches, hash_password(password) if matches else None
    try:
        return _HASHER.verify_and_update(password, stored)
    except Exception:  # an unreadable hash matches nothing  # noqa: BLE001
        return False, None


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


def _verify_scrypt(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        computed = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                                  maxmem=64 * 1024 * 1024, dklen=len(base64.b64decode(digest)))
        return hmac.compare_digest(computed, base64.b64decode(digest))
    except ValueError:
        return False
