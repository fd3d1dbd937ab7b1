"""TOP-style routers (Taobao's TOP, and JD's JOS which copies it): one signed POST names the API by `method`.

System parameters travel in the query or a form body beside the API's own; the sign is over every
parameter but `sign`, sorted by name and joined as name+value: md5 → uppercase MD5(secret + that +
secret), hmac → uppercase HMAC-MD5(secret, that), hmac-sha256 → uppercase HMAC-SHA256(secret, that).
The timestamp is Beijing time and must lie within 10 minutes of the router's clock. Refusals come
back as HTTP 200 with an `error_response` (TOP's codes), which is how these routers answer.
"""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl

from flexhub.integrations.signing import hmac_md5_hex, hmac_sha256_hex, md5_hex, same
from flexhub.sandbox.platform import Answer, Received, Refused
from flexhub.sandbox.platforms import buyer

SHANGHAI = timezone(timedelta(hours=8))
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
CLOCK_SKEW = timedelta(minutes=10)


def parameters(request: Received) -> dict[str, str]:
    """The query and, for a form POST, the body's fields (the body wins)."""
    found = dict(request.query)
    if request.body and "form" in (request.headers.get("content-type") or ""):
        found.update(parse_qsl(request.body.decode(), keep_blank_values=True))
    return found


def check(params: Mapping[str, str], secret: str, *, app_key: str, token_name: str, token: str,
          refuse: Callable[[int, str], Answer] | None = None) -> None:
    """Raise Refused (TOP's error codes, in `refuse`'s shape) unless the call is signed, current and this store's."""
    refuse = refuse or error
    if params.get("app_key") != app_key:
        raise Refused(refuse(29, "Invalid app Key"))
    if params.get("v") != "2.0":
        raise Refused(refuse(34, "Invalid version"))
    try:
        sent = datetime.strptime(params.get("timestamp") or "", TIME_FORMAT).replace(tzinfo=SHANGHAI)
    except ValueError:
        raise Refused(refuse(32, "Invalid timestamp")) from None
    if abs(datetime.now(UTC) - sent) > CLOCK_SKEW:
        raise Refused(refuse(32, "Invalid timestamp"))
    method = params.get("sign_method", "md5")
    if method not in ("md5", "hmac", "hmac-sha256") or not same(sign(params, secret, method), params.get("sign")):
        raise Refused(refuse(25, "Invalid signature"))
    if params.get(token_name) != token:
        raise Refused(refuse(27, f"Invalid {token_name}"))


def sign(params: Mapping[str, str], secret: str, method: str) -> str:
    base = "".join(f"{name}{params[name]}" for name in sorted(params) if name != "sign")
    if method == "md5":
        return md5_hex(secret + base + secret).upper()
    digest = hmac_md5_hex if method == "hmac" else hmac_sha256_hex
    return digest(secret, base).upper()


def error(code: int, message: str, sub_code: str | None = None, sub_message: str | None = None,
          status: int = 200) -> Answer:
    body = {"code": code, "msg": message, "request_id": buyer.new_secret(length=6)}
    if sub_code:
        body |= {"sub_code": sub_code, "sub_msg": sub_message or sub_code}
    return Answer(status, {"error_response": body})


def throttled(retry_after: float) -> Answer:
    """TOP's ban for an app past its call quota; its sub_msg says how long the ban lasts."""
    seconds = max(1, round(retry_after))
    return error(7, "App Call Limited", "accesscontrol.limited-by-api-access-count",
                 f"This ban will last for {seconds} more seconds", status=429)


def beijing(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime(TIME_FORMAT)


def from_beijing(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT).replace(tzinfo=SHANGHAI).astimezone(UTC)
