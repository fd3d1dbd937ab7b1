"""A statement line as every format reads it: what kind of money movement it is, which order it names, and its
amounts in minor units. Pure data: the parsers make them, reconciliation reads them."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

SALE = "sale"  # the platform pays the merchant for an order (or part of one)
REFUND = "refund"  # money back to the buyer for an order
FEE = "fee"  # a fee charged on an order, on a line of its own
ADJUSTMENT = "adjustment"  # reserves, disputes, corrections, account fees
PAYOUT = "payout"  # the balance sent to the merchant's bank, or its failure
UNREADABLE = "unreadable"  # a line the format could not read: kept for a person
KINDS = (SALE, REFUND, FEE, ADJUSTMENT, PAYOUT, UNREADABLE)
ORDER_KINDS = frozenset({SALE, REFUND, FEE})  # kinds that must name an order


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One line of a statement. `amount` is the gross money for the order: positive for a sale, negative for a
    refund; `fee` is what the platform charged on it (negative: a fee given back). Lines sharing an `event` are
    one payout (an Amazon shipment's price, tax and fee rows); `part` names the piece of the order an event pays
    (an order item, a sub-order), so the same part paid by two events is a duplicate."""

    line_no: int
    raw: str
    kind: str
    external_id: str | None = None
    amount: int = 0
    fee: int = 0
    currency: str | None = None
    occurred_at: datetime | None = None
    event: str | None = None
    part: str = ""
    reference: str | None = None
    description: str = ""
    error: str | None = None

    @property
    def net(self) -> int:
        return self.amount - self.fee


def unreadable(line_no: int, raw: str, error: str) -> StatementLine:
    return StatementLine(line_no=line_no, raw=raw, kind=UNREADABLE, error=error)


def read_lines(rows: Sequence[str], first_line_no: int, read: Callable[[int, str], StatementLine], *,
               skip: Callable[[str], bool] = lambda raw: False,
               stop: Callable[[str], bool] = lambda raw: False) -> list[StatementLine]:
    """A text statement's data rows (`rows`, the first numbered `first_line_no`), each read by `read`: a blank or
    `skip` row is passed over, the first `stop` row ends the data, and a row `read` refuses (ValueError) is kept
    as an unreadable line with its number, text and reason."""
    lines = []
    for line_no, raw in enumerate(rows, start=first_line_no):
        if stop(raw):
            break
        if not raw.strip() or skip(raw):
            continue
        try:
            lines.append(read(line_no, raw))
        except ValueError as error:
            lines.append(unreadable(line_no, raw, str(error)))
    return lines


class StatementFormat(Protocol):
    """A statement plug-in: `format` is the name clients send; `parse` raises
    `finance.errors.UnreadableStatement` when the text is not this format at all, and keeps a line it cannot
    read as an `unreadable` line."""

    format: str
    title: str

    def parse(self, content: str) -> list[StatementLine]: ...
