"""The leases this process holds on singleton schedules, kept by one thread that renews them well before they run
out; a schedule's loop runs only while its lease is held here."""

import threading
import time
import uuid

import structlog

from flexhub.db.jobs import leases
from flexhub.db.jobs.runner import PROCESS
from flexhub.db.unit_of_work import UnitOfWorkFactory

log = structlog.get_logger(__name__)


class LeaseKeeper:
    def __init__(self, uow_factory: UnitOfWorkFactory, names: list[str], *, ttl_s: float) -> None:
        self._uow_factory = uow_factory
        self._names = names
        self.ttl_s = ttl_s
        self.owner = f"{PROCESS}:{uuid.uuid4().hex[:8]}"
        self._held_until: dict[str, float] = {}  # by this process's monotonic clock, a margin short of expiry
        self._lock = threading.Lock()

    def holds(self, name: str) -> bool:
        with self._lock:
            return time.monotonic() < self._held_until.get(name, 0.0)

    def renew(self) -> None:
        """Take or renew every lease; one transaction for them all."""
        started = time.monotonic()
        try:
            with self._uow_factory() as uow:
                held = {name: leases.take(uow.connection, name, self.owner, ttl_s=self.ttl_s) for name in self._names}
                uow.commit()
        except Exception:
            log.exception("could not renew the schedule leases")
            return
        until = started + self.ttl_s * 0.8  # stop a margin before another process may take it over
        with self._lock:
            self._held_until = {name: until for name, mine in held.items() if mine}

    def keep(self, stop: threading.Event) -> None:
        """Renew every third of the lease's life until stopped, then let them all go."""
        while not stop.wait(self.ttl_s / 3):
            self.renew()
        with self._lock:
            self._held_until = {}
        try:
            with self._uow_factory() as uow:
                leases.give_up(uow.connection, self.owner)
                uow.commit()
        except Exception:
            log.exception("could not give the schedule leases up")
