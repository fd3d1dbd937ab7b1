"""How every Amazon SP-API call is addressed and authorised: LWA access tokens, no AWS SigV4.

SP-API takes the Login-with-Amazon access token in `x-amz-access-token`; AWS IAM and Signature V4
are no longer required (SP-API changelog, October 2023). The sync worker refreshes the token with
`access_token_request` (tokens live an hour) and hands it back in the credentials as `access_token`.
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flexhub.integrations.ratelimit import RateLimit
from flexhub.integrations.request import ApiRequest

PRODUCTION = "https://sellingpartnerapi-na.amazon.com"  # North America; EU and Far East channels set base_url
LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"
USER_AGENT = "flexhub/0.1 (Language=Python)"  # the "AppName/Version (Language=...)" form Amazon asks for

# Default usage plans (token buckets per selling account and app) of the calls this adapter builds,
# from developer-docs.amazon.com/sp-api: "Orders API Rate Limits", "Listings Items API Rate Limits",
# "Feeds API Rate Limits" and the usage-plan tables in models/orders-api-model/orders_2026-01-01.json.
OPERATION_LIMITS = {
    "searchOrders": RateLimit(per_second=0.0056, burst=20),
    "getOrder": RateLimit(per_second=0.5, burst=30),
    "patchListingsItem": RateLimit(per_second=5, burst=5),
    "confirmShipment": RateLimit(per_second=2, burst=10),
    "createFeedDocument": RateLimit(per_second=0.5, burst=15),
    "createFeed": RateLimit(per_second=0.0083, burst=15),  # JSON_LISTINGS_FEED: 5 feeds / 5 min per region
}


def call(credentials: Mapping[str, str], method: str, path: str, *, params: Mapping[str, str] | None = None,
         json: Any = None) -> ApiRequest:
    headers = {"x-amz-access-token": credentials["access_token"], "accept": "application/json",
               "user-agent": USER_AGENT}
    if json is not None:
        headers["content-type"] = "application/json"
    base = credentials.get("base_url", PRODUCTION).rstrip("/")
    return ApiRequest(method, f"{base}{path}", headers=headers, params=dict(params or {}), json=json)


def access_token_request(credentials: Mapping[str, str]) -> ApiRequest:
    """Trade the seller's LWA refresh token for an access token (grant_type=refresh_token)."""
    form = {"grant_type": "refresh_token", "refresh_token": credentials["refresh_token"],
            "client_id": credentials["client_id"], "client_secret": credentials["client_secret"]}
    return ApiRequest("POST", credentials.get("token_url", LWA_TOKEN_URL),
                      headers={"content-type": "application/x-www-form-urlencoded;charset=UTF-8"},
                      content=urlencode(form).encode())
