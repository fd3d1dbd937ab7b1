"""What a multi-process flash sale showed, as an operator reads it: orders taken and how fast, whether any unit was
oversold or any order kept twice, whether each outbound webhook went out once, 429s from the platforms, and how
long after the sale (and after a kill -9) the stores and the event consumers had caught up. One row per sale,
printed as a Markdown table (tests/e2e/test_scale_out.py prints it; the README quotes one run)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SaleFigures:
    sale: str
    accepted: int  # orders answered 2xx
    seconds: float  # first post to last answer
    reserved: int  # of the accepted, those holding a unit (the rest wait for stock)
    duplicates: int  # orders kept more than once for one external id
    oversold: int  # units reserved past the stock on hand
    deliveries: int  # outbound webhook deliveries due (one per endpoint and event)
    posted_once: int  # of them, those the receiver got exactly once
    posts: int  # POSTs the receiver got for them, retries included
    throttled: int  # 429s the sandbox platforms answered
    stores_in_step_s: float  # last answer → every store shows the pool's figure
    settled_s: float  # last answer → that, and every event relayed and consumed, every delivery made
    after_kill_s: float | None = None  # kill -9 → settled, the sale going on meanwhile (a sale with a kill)
    waited: dict[str, float] = field(default_factory=dict)  # after the last answer, how long each check waited

    @property
    def orders_per_s(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0


def kept_twice(external_ids: Iterable[str]) -> int:
    """Orders kept beyond the first for one external id: what a replayed or retried post must never add."""
    return sum(count - 1 for count in Counter(external_ids).values())


def units_oversold(reserved: int, stock: int) -> int:
    """Units held by reservations past the stock on hand."""
    return max(0, reserved - stock)


HEADER = ("sale", "orders answered 2xx", "orders/s", "reserved", "duplicates", "oversold",
          "deliveries sent once (posts)", "429s", "stores in step", "all settled", "kill -9 → all settled")


def table(rows: list[SaleFigures]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    for row in rows:
        cells = (row.sale, str(row.accepted), f"{row.orders_per_s:.0f}", str(row.reserved), str(row.duplicates),
                 str(row.oversold), f"{row.posted_once}/{row.deliveries} ({row.posts})", str(row.throttled),
                 f"{row.stores_in_step_s:.1f} s", f"{row.settled_s:.1f} s",
                 "—" if row.after_kill_s is None else f"{row.after_kill_s:.1f} s")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def waits(rows: list[SaleFigures]) -> str:
    """Where the settling time went, per sale: a slow one names the part that held it (stores, the relay, the
    event consumers, the webhook deliveries)."""
    return "\n".join(f"{row.sale}: " + ", ".join(f"{name} {s:.1f} s" for name, s in row.waited.items())
                     for row in rows)
