"""Stores handlers: shelf prices."""

from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel import clock
from flexhub.stores import queries, repository
from flexhub.stores.commands import SetShelfPrice
from flexhub.stores.schemas import PriceOut


def set_shelf_price(cmd: SetShelfPrice, uow_factory: UnitOfWorkFactory) -> PriceOut:
    tenant_id, now = cmd.actor.tenant_id, clock.now()
    with uow_factory() as uow:
        sku = queries.sku_named(uow, tenant_id, cmd.sku)
        repository.save_price(uow.connection, {"tenant_id": tenant_id, "sku_id": sku.id, "amount": cmd.amount,
                                               "currency": cmd.currency, "updated_by": cmd.actor.name[:200],
                                               "updated_at": now})
        audit.record(uow, cmd.actor, audit.Audited("shelf_price.set", "sku", sku.id,
                                                   {"amount": cmd.amount, "currency": cmd.currency}))
        uow.commit()
    return PriceOut(sku=cmd.sku, amount=cmd.amount, currency=cmd.currency, updated_at=now)
