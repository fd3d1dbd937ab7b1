"""Quotas that follow sell-through: live rooms' and campaigns' quotas of a SKU shared out again on a schedule.

A listing whose allocation is a quota with `rebalance: true` (its own override, or its channel's policy) holds part
of its SKU's stock for its store. Every run, the quotas of each SKU's rebalancing listings (two or more, of one
tenant) are shared out again by what each listing's channel sold of the SKU within `window_s` (sync.allocation.
rebalance: their total kept, a tenth spread evenly, half the way each run). A changed quota is set as the listing's
own override through SetAllocation, as a person would set it: audited with before and after (the actor
`job:rebalance`), announced, the figures planned again, and listed among the channel page's allocation changes.
"""

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import structlog

from flexhub.channels import AllocationPolicy, SetAllocation
from flexhub.kernel import clock
from flexhub.kernel.messages import Actor, Command
from flexhub.sync import repository
from flexhub.sync.allocation import rebalance

log = structlog.get_logger(__name__)
JOB_ACTOR = "job:rebalance"


class QuotaRebalance:
    def __init__(self, uow: Callable[..., Any], handle: Callable[[Command], Any], *, window_s: float) -> None:
        self._uow = uow
        self._handle = handle
        self._window = timedelta(seconds=window_s)

    def run_once(self) -> int:
        """Rebalance every SKU's quotas once; how many listings' quotas changed."""
        with self._uow(write=False) as uow:
            channels = {row.id: row for row in repository.channel_settings(uow.connection)}
            policy_of = {cid: AllocationPolicy.from_settings((row.settings or {}).get("allocation"))
                         for cid, row in channels.items()}
            holders = [(row, AllocationPolicy.from_settings(row.allocation) if row.allocation
                        else policy_of[row.channel_id])
                       for row in repository.listings_that_may_rebalance(
                           uow.connection, [cid for cid, policy in policy_of.items() if policy.rebalance])]
            holders = [(row, policy) for row, policy in holders if policy.mode == "quota" and policy.rebalance]
            sold = repository.units_sold_since(uow.connection, [(row.channel_id, row.sku_id) for row, _ in holders],
                                               clock.now() - self._window)
        groups: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[Any, AllocationPolicy]]] = defaultdict(list)
        for row, policy in holders:
            groups[(row.tenant_id, row.sku_id)].append((row, policy))
        changed = 0
        for group in groups.values():
            quotas = {row.id: policy.quota for row, policy in group}
            moved = rebalance(quotas, {row.id: sold.get((row.channel_id, row.sku_id), 0) for row, _ in group})
            for row, policy in group:
                if moved[row.id] != policy.quota:
                    self._set(row, policy, moved[row.id], channels[row.channel_id].code)
                    changed += 1
        return changed

    def _set(self, row: Any, policy: AllocationPolicy, quota: int, channel: str) -> None:
        setting = {**policy.setting(), "quota": quota}
        actor = Actor(tenant_id=row.tenant_id, role="admin", name=JOB_ACTOR)
        self._handle(SetAllocation(actor=actor, channel=channel, listing=row.external_sku, allocation=setting))
        log.info("quota rebalanced", channel=channel, listing=row.external_sku, before=policy.quota, after=quota)
