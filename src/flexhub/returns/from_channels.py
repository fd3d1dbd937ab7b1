"""Return requests from channels: each `ChannelReturn` an adapter parsed becomes an RMA through the returns
handler, its SKUs mapped through the channel's listings and its order found by the platform's order id. The RMA
is opened once per (channel, external return id): a redelivered webhook finds it and changes nothing."""

from collections.abc import Sequence
from typing import Any, Protocol

from flexhub.channels import ChannelRef, ChannelReturn, sku_codes_for
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.returns import repository
from flexhub.returns.commands import CreateReturn
from flexhub.returns.errors import ReturnExists


class Opening(Protocol):
    """What opening them uses: units of work to map SKUs and find the order, and the bus for CreateReturn."""

    def uow(self, *, write: bool = True) -> UnitOfWork: ...

    def handle(self, command: Any) -> Any: ...


def open_channel_returns(opening: Opening, actor: Actor, channel: ChannelRef, requests: Sequence[ChannelReturn]
                         ) -> list[tuple[Any, ...]]:
    """Open an RMA for each request; returns the problems (code, message, external id, details) for a person."""
    problems: list[tuple[Any, ...]] = []
    for request in requests:
        if not request.lines:
            continue  # money back without goods back: nothing to receive
        with opening.uow(write=False) as uow:
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
            opening.handle(CreateReturn(actor=actor, lines=lines, order_id=str(order_id) if order_id else None,
                                    channel=channel.code, external_id=request.external_id,
                                    reason=(request.reason or "")[:200] or None))
        except ReturnExists:
            continue  # the platform sent it again
        except FlexhubError as error:
            problems.append((error.code, str(error.message), request.external_id, error.details))
    return problems
