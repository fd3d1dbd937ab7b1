"""Amazon's settlement report, flat file V2 (`GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2`): tab-separated, a
header row, then a summary row (the settlement's dates, deposit date and total) and one row per amount. Price
columns are condensed into `amount-type`, `amount-description` and `amount`.

`Order` rows pay an order: `ItemPrice`, `Promotion` and `ItemWithheldTax` amounts are the gross, `ItemFees` are
fees (Amazon prints them negative). `Refund` rows are the same for money given back. The rows of one order
posted together are one event; each order item (`order-item-code`) is a part, so an item paid by two events is a
duplicate. Other transaction types are adjustments; the summary row is the payout."""

from datetime import datetime

from flexhub.finance.errors import UnreadableStatement
from flexhub.finance.formats.lines import ADJUSTMENT, PAYOUT, REFUND, SALE, StatementLine, read_lines
from flexhub.finance.formats.reading import Columns, currency_code, moment, money

REQUIRED = ("settlement-id", "currency", "transaction-type", "order-id", "amount-type", "amount-description",
            "amount", "posted-date")
GROSS_TYPES = frozenset({"ItemPrice", "Promotion", "ItemWithheldTax"})
FEE_TYPES = frozenset({"ItemFees", "ItemRelatedFees"})
KINDS = {"order": SALE, "refund": REFUND}
DATES = ("%Y-%m-%d %H:%M:%S %Z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d", "%d.%m.%Y %H:%M:%S %Z", "%d.%m.%Y",
         "%Y/%m/%d")


class AmazonSettlementV2:
    format = "amazon_settlement_v2"
    title = "Amazon settlement report V2 (tab-separated flat file)"

    def parse(self, content: str) -> list[StatementLine]:
        physical = content.splitlines()
        if not physical:
            raise UnreadableStatement(f"not an {self.title}: the file is empty")
        columns = Columns(physical[0].split("\t"), REQUIRED, self.title)
        currency: str | None = None  # the first row names it; later rows may leave it blank

        def read(line_no: int, raw: str) -> StatementLine:
            nonlocal currency
            row = columns.record([cell.strip() for cell in raw.split("\t")])
            currency = currency_code(row["currency"] or currency)
            return _line(line_no, raw, row, currency)

        return read_lines(physical[1:], 2, read)


def _line(line_no: int, raw: str, row: dict[str, str], currency: str) -> StatementLine:
    transaction = row["transaction-type"]
    order = row["order-id"] or None
    if not transaction:  # the summary row: the settlement's total, deposited
        return StatementLine(line_no=line_no, raw=raw, kind=PAYOUT, amount=money(row.get("total-amount"), currency),
                             currency=currency, reference=row["settlement-id"], description="settlement deposit",
                             occurred_at=_date(row.get("deposit-date") or row.get("settlement-end-date") or ""))
    amount = money(row["amount"], currency)
    kind = KINDS.get(transaction.lower(), ADJUSTMENT)
    is_fee = row["amount-type"] in FEE_TYPES
    if kind != ADJUSTMENT and not (is_fee or row["amount-type"] in GROSS_TYPES):
        raise ValueError(f"unknown amount-type {row['amount-type']!r} on an {transaction} row")
    when = row.get("posted-date-time") or row["posted-date"]
    return StatementLine(
        line_no=line_no, raw=raw, kind=kind, external_id=order, amount=0 if is_fee else amount,
        fee=-amount if is_fee else 0, currency=currency, occurred_at=_date(when), reference=row["settlement-id"],
        part=row.get("order-item-code", "") or row.get("merchant-order-item-id", ""),
        event="/".join((row["settlement-id"], transaction, order or "", row.get("shipment-id", ""), when)),
        description=f"{transaction} {row['amount-type']}/{row['amount-description']}",
    )


def _date(text: str) -> datetime | None:
    return moment(text, DATES) if text else None
