"""Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
`webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, keyed by the base64-decoded part of a
`whsec_…` secret. Pure: no I/O."""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping

PREFIX = "whsec_"
TOLERANCE_S = 5 * 60  # receivers refuse timestamps further than this from their clock


class InvalidSignature(ValueError):
    pass


def new_secret() -> str:
    """24 random bytes, as the specification's secrets are (between 24 and 64 bytes)."""
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def sign(secret: str, message_id: str, timestamp: int, body: str | bytes) -> str:
    key = base64.b64decode(secret.removeprefix(PREFIX))
    content = body.encode() if isinstance(body, str) else body
    signed = f"{message_id}.{timestamp}.".encode() + content
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def headers(secret: str, message_id: str, timestamp: int, body: str | bytes) -> dict[str, str]:
    return {"webhook-id": message_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(secret, message_id, timestamp, body)}


def verify(secret: str, received: Mapping[str, str], body: str | bytes, *, now: int) -> None:
    """What a receiver does: the timestamp is recent and one of the space-separated v1 signatures matches."""
    try:
        message_id, stamp = received["webhook-id"], int(received["webhook-timestamp"])
        given = received["webhook-signature"].split(" ")
    except (KeyError, ValueError) as error:
        raise InvalidSignature("missing or malformed webhook headers") from error
    if abs(now - stamp) > TOLERANCE_S:
        raise InvalidSignature("the timestamp is too far from now")
    expected = sign(secret, message_id, stamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in given if candidate.startswith("v1,")):
        raise InvalidSignature("no signature matches")
