"""Return requests from channels: each `ChannelReturn` an adapter parsed becomes an RMA through the returns
handler, its SKUs mapped through the channel's listings and its order found by the platform's order id. The RMA
is opened once per (channel, external return id): a redelivered webhook finds it and changes nothing."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flexhub.channels import ChannelReturn, sku_codes_for
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.returns import repository
from flexhub.returns.commands import CreateReturn
from flexhub.returns.errors import ReturnExists

if TYPE_CHECKING:
    from flexhub.bootstrap import Hub


@dataclass(frozen=True, slots=True)
class ReturnsChannel:
    """The channel a request came through, as much of it as mapping needs."""

    id: uuid.UUID
    tenant_id: uuid.UUID
    code: str


def open_channel_returns(hub: "Hub", actor: Actor, channel: ReturnsChannel, requests: Sequence[ChannelReturn]
                         ) -> list[tuple]:
    """Open an RMA for each request; returns the problems (code, message, external id, details) for a person."""
    problems: list[tuple] = []
    for request in requests:
        if not request.lines:
            continue  # money back without goods back: nothing to receive
        with hub.uow(write=False) as uow:
            codes = sku_codes_for(uow.connection, channel, [sku for sku, _ in request.lines])
            order_id = repository.order_of_channel(uow.connection, channel.tenant_id, channel.id,
                                                   request.order_external_id)
        unmapped = sorted({sku for sku, _ in request.lines} - set(codes))
        if unmapped:
            problems.append(("returns.unmapped_sku", f"return {request.external_id} names SKUs with no listing",
                             request.external_id, {"skus": unmapped}))
            continue
        lines: dict[str, int] = {}
        for sku, units in request.lines:
            lines[codes[sku]] = lines.get(codes[sku], 0) + units
        try:
            hub.handle(CreateReturn(actor=actor, lines=lines, order_id=str(order_id) if order_id else None,
                                    channel=channel.code, external_id=request.external_id,
                                    reason=(request.reason or "")[:200] or None))
        except ReturnExists:
            continue  # the platform sent it again
        except FlexhubError as error:
            problems.append((error.code, str(error.message), request.external_id, error.details))
    return problems
