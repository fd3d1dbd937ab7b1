"""The new purchase order as the dashboard's form types it: each field read into a CreatePurchaseOrder, or refused
with an error that names the field (`details["field"]`: `supplier`, `location`, `kind`, `expected_on`, `currency`,
or `sku-N`, `quantity-N`, `unit_cost-N` for line N), so the page can point at it. Unit costs are typed in the
currency's units (12.50), not in minor units; a blank currency is the supplier's terms'."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from flexhub.kernel.errors import FlexhubError, ValidationFailed
from flexhub.kernel.messages import Actor
from flexhub.kernel.money import minor_digits, to_minor
from flexhub.purchasing.commands import CreatePurchaseOrder, OrderLineSpec
from flexhub.purchasing.errors import IncompleteOrder, InvalidLines
from flexhub.purchasing.rules import KINDS

MOST_UNITS = 10_000_000  # a line's quantity, as the API allows
MOST_MINOR = 10**12  # a unit cost, as the API allows
AMOUNT = re.compile(r"\d+(?:\.(?P<decimals>\d+))?")
CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass
class OrderForm:
    """The form's fields as typed (kept to show them again beside an error)."""

    supplier: str = ""
    location: str = ""
    kind: str = "purchase"
    expected_on: str = ""
    currency: str = ""
    reference: str = ""
    lines: list[dict[str, str]] = field(default_factory=list)  # {"sku", "quantity", "unit_cost"}, blanks left out

    @classmethod
    def typed(cls, fields: Any, skus: list[str], quantities: list[str], unit_costs: list[str]) -> "OrderForm":
        rows = zip(skus, quantities, unit_costs + [""] * (len(skus) - len(unit_costs)), strict=False)
        lines = [{"sku": s.strip(), "quantity": q.strip(), "unit_cost": c.strip()} for s, q, c in rows]
        shown = {name: str(fields.get(name) or "").strip()[:120] for name in
                 ("supplier", "location", "kind", "expected_on", "currency", "reference")}
        return cls(**{**shown, "kind": shown["kind"] or "purchase"},
                   lines=[line for line in lines if any(line.values())])

    def command(self, actor: Actor, terms_currency: str | None) -> CreatePurchaseOrder:
        """The order to place; `terms_currency`: the currency of the supplier's terms (None: it has none)."""
        if not self.supplier:
            raise IncompleteOrder("choose the supplier to order from", field="supplier")
        if not self.location:
            raise IncompleteOrder("choose the node the goods go to", field="location")
        if self.kind not in KINDS:
            raise InvalidLines(f"kind must be one of {', '.join(KINDS)}", kind=self.kind, field="kind")
        if self.currency and not CURRENCY.fullmatch(self.currency):
            raise ValidationFailed(f"'{self.currency}' is not a currency code (three capital letters, like CNY)",
                                   field="currency")
        if not self.lines:
            raise InvalidLines("an order or notice needs at least one line", field="sku-1")
        currency = self.currency or terms_currency
        lines = [self._line(n, line, currency) for n, line in enumerate(self.lines, 1)]
        seen: set[str] = set()
        for n, line in enumerate(lines, 1):
            if line.sku in seen:
                raise InvalidLines(f"{line.sku} is on two lines: one line per SKU", field=f"sku-{n}")
            seen.add(line.sku)
        priced = any(line.unit_cost is not None for line in lines)  # typed in `currency`: the order's, then
        return CreatePurchaseOrder(actor=actor, supplier=self.supplier, location=self.location, kind=self.kind,
                                   expected_on=self._expected_on(), lines=lines, reference=self.reference or None,
                                   currency=self.currency or (currency if priced else None))

    def field_of(self, error: FlexhubError) -> str | None:
        """The field an error is about: named by the form's own checks, else read from the handler's details."""
        details = error.details
        if "field" in details:
            return str(details["field"])
        for name in ("supplier", "location", "expected_on", "kind"):
            if name in details:
                return name
        sku = details.get("sku") or next(iter(details.get("skus") or []), None)
        n = next((n for n, line in enumerate(self.lines, 1) if line["sku"] == sku), None)
        if n is None:
            return None
        if error.code == "purchasing.invalid_lines" and "unit cost" in error.message:
            return f"unit_cost-{n}"
        return f"quantity-{n}" if "quantities" in error.message else f"sku-{n}"

    def _expected_on(self) -> date | None:
        if not self.expected_on:
            return None  # the supplier's lead time decides
        try:
            return date.fromisoformat(self.expected_on)
        except ValueError as error:
            raise ValidationFailed(f"'{self.expected_on}' is not a day (YYYY-MM-DD)",
                                   field="expected_on") from error

    def _line(self, n: int, line: dict[str, str], currency: str | None) -> OrderLineSpec:
        sku = line["sku"]
        if not sku:
            raise InvalidLines(f"line {n} needs its SKU", field=f"sku-{n}")
        quantity = line["quantity"]
        if not quantity.isdigit() or not 0 < int(quantity) <= MOST_UNITS:
            raise InvalidLines(f"the quantity of {sku} must be a whole number above 0", field=f"quantity-{n}")
        return OrderLineSpec(sku=sku, quantity=int(quantity), unit_cost=self._unit_cost(n, sku, line, currency))

    def _unit_cost(self, n: int, sku: str, line: dict[str, str], currency: str | None) -> int | None:
        typed = line["unit_cost"].replace(",", "")
        if not typed:
            return None  # the supplier's terms
        if currency is None:
            raise InvalidLines("name the currency: the supplier has no terms for these SKUs", field="currency")
        digits = minor_digits(currency)
        shape = AMOUNT.fullmatch(typed)
        if shape is None or len(shape.group("decimals") or "") > digits or to_minor(Decimal(typed), currency) > \
                MOST_MINOR:
            raise InvalidLines(f"the unit cost of {sku} must be an amount of {currency} with at most {digits} "
                               f"decimals", field=f"unit_cost-{n}")
        return to_minor(Decimal(typed), currency)
