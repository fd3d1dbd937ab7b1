"""Submitting orders to the writer: combined batches in flight, or one transaction per order.

See the package docstring for the interface. A batch's outcomes are settled here: a newer version
of a known order is applied (its own transaction, `updates.apply_newer_version`) before the caller
is answered, so every caller gets an `Imported` or the `FlexhubError` refusing its order.
"""

import asyncio
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TypeGuard

import stamina
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from flexhub.bus.combiner import Combiner
from flexhub.bus.messagebus import is_contention, is_dropped_connection
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.kernel import metrics
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Event
from flexhub.ordering import newer_versions, queries, updates
from flexhub.ordering.commands import ImportOrder
from flexhub.ordering.intake import Imported, NewerVersion, Outcome, import_batch
from flexhub.ordering.writer.postgres import PostgresWriter

Answer = Imported | FlexhubError
BatchWriter = Callable[[Sequence[ImportOrder]], list[Outcome]]


class OrderWriter:
    def __init__(
        self, uow_factory: UnitOfWorkFactory, *, combine: bool, max_wait_s: float, max_batch: int,
        in_flight: int = 2, second_batch_min: int = 1, threads: int = 20, engine: Engine | None = None,
        on_commit: Callable[[list[Event]], None] | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        # PostgreSQL: the hot path (psycopg, stock row last); it re-decides lock-first through intake.
        self.postgres = (
            PostgresWriter(engine, lock_first=self._write_with_uow, on_commit=on_commit, keep_connections=combine)
            if engine is not None and engine.dialect.name == "postgresql" else None
        )
        self._write_batch: BatchWriter = self.postgres.write if self.postgres else self._write_with_uow
        self._combiner = (
            Combiner(self._answer_batch, max_wait_s=max_wait_s, max_batch=max_batch, in_flight=in_flight,
                     min_second=second_batch_min, name="order-writer")
            if combine else None
        )
        # Per order, coroutines queue (first come, first served) for as many threads as the pool has connections.
        self._threads = None if combine else ThreadPoolExecutor(max_workers=threads, thread_name_prefix="order-alone")

    # -- the interface --------------------------------------------------------------------------------------
    def import_order(self, cmd: ImportOrder) -> Imported:
        with metrics.imports(1) as answered:
            if self._combiner:
                return answered(_raise_or_return(self._combiner.submit(cmd)))
            return answered(_raise_or_return(self._alone().submit(self._answer_alone, cmd).result()))

    def import_many(self, commands: Sequence[ImportOrder]) -> list[Answer]:
        with metrics.imports(len(commands)) as answered:
            if self._combiner:
                return answered([_as_answer(a) for a in self._combiner.submit_many(commands)])
            return answered(self._alone().submit(lambda: [self._answer_alone(cmd) for cmd in commands]).result())

    async def submit(self, cmd: ImportOrder) -> Imported:
        with metrics.imports(1) as answered:
            if self._combiner:
                return answered(_raise_or_return(await self._combiner.submit_async(cmd)))
            loop = asyncio.get_running_loop()
            return answered(_raise_or_return(await loop.run_in_executor(self._alone(), self._answer_alone, cmd)))

    async def submit_many(self, commands: Sequence[ImportOrder]) -> list[Answer]:
        with metrics.imports(len(commands)) as answered:
            if self._combiner:
                return answered([_as_answer(a) for a in await self._combiner.submit_many_async(commands)])
            loop = asyncio.get_running_loop()  # in arrival order, as the combiner would decide them
            return answered(await loop.run_in_executor(self._alone(),
                                                       lambda: [self._answer_alone(cmd) for cmd in commands]))

    def close(self) -> None:
        if self._combiner:
            self._combiner.close()
        if self._threads:
            self._threads.shutdown(wait=True)
        if self.postgres:
            self.postgres.close()

    def _alone(self) -> ThreadPoolExecutor:
        """The threads orders are written on one by one (made when the writer does not combine)."""
        if self._threads is None:
            raise RuntimeError("a combining writer writes through its combiner")
        return self._threads

    # -- writing --------------------------------------------------------------------------------------------
    def _answer_alone(self, cmd: ImportOrder) -> Answer:
        try:
            return self._with_orders([cmd], self._settle([cmd], [self._import_alone(cmd)]))[0]
        except FlexhubError as error:
            return error

    def _answer_batch(self, commands: Sequence[ImportOrder]) -> list[Answer]:
        return self._with_orders(commands, self._settle(commands, self._import_combined(commands)))

    def _with_orders(self, commands: Sequence[ImportOrder], answers: list[Answer]) -> list[Answer]:
        """The stored orders the commands asked for and have not got (PostgreSQL's hot path answers with the order
        it wrote), read in one transaction for the whole batch (three statements per tenant): an HTTP answer needs
        no read of its own."""
        wanted: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for cmd, answer in zip(commands, answers, strict=True):
            if _lacks_its_order(answer, cmd):
                wanted[cmd.actor.tenant_id].append(answer.order_id)
        if not wanted:
            return answers
        with self._uow_factory(write=False) as uow:
            found = {view["id"]: view for tenant_id, ids in wanted.items()
                     for view in queries.order_views(uow.connection, tenant_id, ids)}
        return [replace(answer, order=found.get(str(answer.order_id)))
                if _lacks_its_order(answer, cmd) else answer for cmd, answer in zip(commands, answers, strict=True)]

    def _settle(self, commands: Sequence[ImportOrder], outcomes: Sequence[Outcome]) -> list[Answer]:
        """The batch's newer versions applied in one transaction: header-only changes (a payment) of many orders
        together, the others in arrival order, each under a savepoint of its own: one the order refuses (a change
        its state no longer allows) is rolled back alone and answered with its error, the others stand. Contention
        or a dropped connection writes them all again."""
        if not any(isinstance(outcome, NewerVersion) for outcome in outcomes):
            return [outcome for outcome in outcomes if not isinstance(outcome, NewerVersion)]  # each, then
        newer = [(at, cmd, outcome) for at, (cmd, outcome) in enumerate(zip(commands, outcomes, strict=True))
                 if isinstance(outcome, NewerVersion)]
        for attempt in stamina.retry_context(on=is_retryable, attempts=5, wait_initial=0.005, wait_max=0.2):
            with attempt, self._uow_factory() as uow:
                # A header-only change (a payment) for many orders at once; the rest one by one (newer_versions.py).
                together = newer_versions.apply_simple(uow, [(cmd.actor, o.order_id, cmd.order) for _, cmd, o in newer])
                answers: list[Answer] = list(outcomes)  # type: ignore[arg-type]  # each NewerVersion replaced below
                for (at, cmd, outcome), status in zip(newer, together, strict=True):
                    answers[at] = (Imported(outcome.order_id, status, created=False) if status is not None
                                   else self._apply_newer(uow, cmd, outcome))
                uow.commit()
                return answers
        raise AssertionError("unreachable")

    @staticmethod
    def _apply_newer(uow: UnitOfWork, cmd: ImportOrder, outcome: NewerVersion) -> Answer:
        recorded = len(uow.events)
        savepoint = uow.connection.begin_nested()
        try:
            status = updates.apply_newer_version(uow, cmd.actor, outcome.order_id, cmd.order)
        except FlexhubError as error:
            savepoint.rollback()
            del uow.events[recorded:]  # its events go with its writes
            return error
        savepoint.commit()
        return Imported(outcome.order_id, status, created=False)

    def _import_alone(self, cmd: ImportOrder) -> Outcome:
        # A concurrent import of the same order may win the unique key: try again, it is then a replay.
        retry_on = lambda e: is_retryable(e) or isinstance(e, IntegrityError)  # noqa: E731
        for attempt in stamina.retry_context(on=retry_on, attempts=5, wait_initial=0.005, wait_max=0.2):
            with attempt:
                return self._write_batch([cmd])[0]
        raise AssertionError("unreachable")

    def _import_combined(self, commands: Sequence[ImportOrder]) -> list[Outcome]:
        try:
            for attempt in stamina.retry_context(on=is_retryable, attempts=5, wait_initial=0.005, wait_max=0.2):
                with attempt:
                    return self._write_batch(commands)
        except IntegrityError:
            # Another process stored one of these orders first; settle each on its own.
            return [self._import_alone(cmd) for cmd in commands]
        raise AssertionError("unreachable")

    def _write_with_uow(self, commands: Sequence[ImportOrder]) -> list[Outcome]:
        with self._uow_factory() as uow:
            outcomes = import_batch(uow, commands)
            uow.commit()
        return outcomes


def is_retryable(error: Exception) -> bool:
    """Contention, or a connection dropped mid-batch: an import is idempotent by (channel, external id), so a
    batch that may or may not have committed is written again and a committed order comes back as a replay."""
    return is_contention(error) or is_dropped_connection(error)


def _lacks_its_order(answer: Answer, cmd: ImportOrder) -> TypeGuard[Imported]:
    """The command asked for its stored order and the answer does not carry it yet."""
    return cmd.answer_with_order and isinstance(answer, Imported) and answer.order is None


def _raise_or_return(answer: Answer) -> Imported:
    if isinstance(answer, FlexhubError):
        raise answer
    return answer


def _as_answer(answer: Answer | BaseException) -> Answer:
    if isinstance(answer, FlexhubError | Imported):
        return answer
    raise answer  # not a refusal of this order: the batch failed
