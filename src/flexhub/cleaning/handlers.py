"""Cleaning handlers: a tenant's rules replaced whole, checked before anything is written, audited."""

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection

from flexhub.cleaning import repository
from flexhub.cleaning.commands import CleaningRulesSet, SetCleaningRules
from flexhub.cleaning.errors import UnknownRuleChannel
from flexhub.cleaning.events import CleaningRulesChanged
from flexhub.cleaning.rules import parse_rules
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.identity import audit
from flexhub.kernel import clock

ChannelsByCode = Callable[[Connection, uuid.UUID, Iterable[str]], dict[str, Any]]


def set_cleaning_rules(cmd: SetCleaningRules, uow_factory: UnitOfWorkFactory,
                       channels_by_code: ChannelsByCode) -> CleaningRulesSet:
    """`channels_by_code` is channels' (wired by the composition root: channels imports ordering, which imports
    cleaning)."""
    rules = parse_rules(cmd.rules)
    tenant_id = cmd.actor.tenant_id
    with uow_factory() as uow:
        named = {rule.channel for rule in rules if rule.channel}
        found = channels_by_code(uow.connection, tenant_id, named)
        for code in sorted(named - set(found)):
            raise UnknownRuleChannel(f"no channel {code}", channel=code)
        now = clock.now()
        repository.replace_rules(uow.connection, tenant_id, [
            {**rule.as_dict(), "tenant_id": tenant_id, "position": position, "set_by": cmd.actor.name, "set_at": now}
            for position, rule in enumerate(rules)])
        uow.record(CleaningRulesChanged(tenant_id=tenant_id, rules=[rule.name for rule in rules]))
        audit.record(uow, cmd.actor, audit.Audited("cleaning.rules_set", "tenant", tenant_id,
                                                   {"rules": [rule.as_dict() for rule in rules]}))
        uow.commit()
    return CleaningRulesSet(rules=[rule.as_dict() for rule in rules])
