"""The sale `bench inbound` imports: its shop and its messages.

C generic channels (each with its own webhook secret) list the same SKUs under their own external codes. N messages
are spread over the channels in turn, one single-unit order each; every fifth order comes again after the others as
a newer version (paid, with a later `updated_at`), as a sale brings its payments in after its orders. Each message
is the body a channel posts, signed as the platform signs it (`X-Flexhub-Signature`).
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from flexhub.bench.http.client import Posted
from flexhub.bootstrap import Hub
from flexhub.channels.commands import CreateListing
from flexhub.channels.model import Channel
from flexhub.channels.platforms.generic import HEADER
from flexhub.integrations.signing import hmac_sha256_hex
from flexhub.kernel.messages import Actor
from flexhub.testing.builders import create_channel, create_location, create_sku, create_tenant, order_body, receive

WAREHOUSE = "WH-CENTRAL"
SKUS = 10
UPDATED_EVERY = 5  # every fifth order is sent again, changed, after the others
PLACED = datetime(2026, 11, 11, tzinfo=UTC)


@dataclass(frozen=True)
class Sale:
    admin: Actor
    stores: list[Any]  # the channels' rows, in code order
    secrets: dict[str, str]  # each channel's webhook secret, by code


def orders_in(messages: int) -> int:
    """How many distinct orders `messages` messages carry (the rest are newer versions)."""
    return messages - messages // (UPDATED_EVERY + 1)


def open_sale(hub: Hub, channels: int, units: int) -> Sale:
    """The tenant, its warehouse, SKUs with `units` each, and the channels listing every SKU."""
    admin = create_tenant(hub, code="bench", name="Benchmark brand")
    create_location(hub, admin, WAREHOUSE, priority=10)
    codes = [f"SKU-{n:03d}" for n in range(SKUS)]
    for code in codes:
        create_sku(hub, admin, code)
        receive(hub, admin, code, WAREHOUSE, units)
    secrets = {f"store-{n}": f"bench-secret-{n}" for n in range(channels)}
    for n, (store, secret) in enumerate(secrets.items()):
        create_channel(hub, admin, store, credentials={"webhook_secret": secret})
        for code in codes:
            hub.handle(CreateListing(actor=admin, channel=store, external_sku=f"{n}-{code}", sku=code))
    with hub.uow(write=False) as uow:
        stores = list(uow.connection.execute(select(Channel).where(Channel.tenant_id == admin.tenant_id)
                                             .order_by(Channel.code)))
    return Sale(admin, stores, secrets)


def sent(messages: int) -> list[tuple[int, bool]]:
    """(order number, paid) of each message in sending order: every order's first version, then the newer ones."""
    creates = orders_in(messages)
    return [(n, False) for n in range(creates)] + [(n, True) for n in range(0, creates, UPDATED_EVERY)][
        : messages - creates]


def body(channels: int, n: int, *, paid: bool) -> bytes:
    """Order n's webhook body as its channel (n mod C) sends it."""
    channel = n % channels
    moment = PLACED + timedelta(seconds=n)
    document = order_body(f"B-{n:06d}", lines=[{"sku": f"{channel}-SKU-{n % SKUS:03d}", "quantity": 1,
                                                 "unit_price": 9900}],
                          payment_state="paid" if paid else "pending", placed_at=moment.isoformat(),
                          updated_at=(moment + timedelta(minutes=1 if paid else 0)).isoformat())
    return json.dumps(document, ensure_ascii=False).encode()


def signed_webhooks(sale: Sale, messages: int) -> list[Posted]:
    """Every message as its channel posts it to `/webhooks/generic/<channel>`, signed with the channel's secret."""
    codes = list(sale.secrets)
    posts = []
    for n, paid in sent(messages):
        code, payload = codes[n % len(codes)], body(len(codes), n, paid=paid)
        posts.append(Posted(f"/webhooks/generic/{code}", {
            "content-type": "application/json", HEADER: "sha256=" + hmac_sha256_hex(sale.secrets[code], payload)},
            payload))
    return posts
