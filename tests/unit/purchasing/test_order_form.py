"""The new purchase order's form read into its command: costs typed in the currency's units, blank rows left out,
and every refusal naming the field it is about (the page points at it)."""

import uuid

import pytest

from flexhub.catalog import UnknownSku
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor
from flexhub.purchasing.errors import InvalidLines
from flexhub.purchasing.order_form import OrderForm

BUYER = Actor(tenant_id=uuid.uuid4(), role="operator", name="buyer")


def typed(skus: list[str], quantities: list[str], costs: list[str], **fields: str) -> OrderForm:
    return OrderForm.typed({"supplier": "mill-1", "location": "WH-CENTRAL", **fields}, skus, quantities, costs)


def test_costs_are_typed_in_the_currencys_units_and_blank_rows_are_left_out() -> None:
    form = typed(["TEE-RED-M", "", "CAP-BLK"], ["12", "", "3"], ["24.50", "", ""])

    command = form.command(BUYER, terms_currency="CNY")

    assert [(x.sku, x.quantity, x.unit_cost) for x in command.lines] == [("TEE-RED-M", 12, 2450), ("CAP-BLK", 3, None)]
    assert command.currency == "CNY" and command.expected_on is None  # priced in CNY; the date from the terms


def test_a_currency_without_minor_units_takes_whole_amounts() -> None:
    command = typed(["TEE-RED-M"], ["1"], ["1,200"], currency="JPY").command(BUYER, terms_currency="CNY")

    assert command.lines[0].unit_cost == 1200 and command.currency == "JPY"
    with pytest.raises(InvalidLines) as refused:
        typed(["TEE-RED-M"], ["1"], ["1200.5"], currency="JPY").command(BUYER, terms_currency=None)
    assert refused.value.details["field"] == "unit_cost-1"


def test_nothing_priced_leaves_the_currency_to_the_suppliers_terms() -> None:
    assert typed(["TEE-RED-M"], ["5"], [""]).command(BUYER, terms_currency="USD").currency is None


@pytest.mark.parametrize(("form", "field"), [
    (typed(["TEE-RED-M"], ["5"], [""], supplier=""), "supplier"),
    (typed(["TEE-RED-M"], ["5"], [""], location=""), "location"),
    (typed(["TEE-RED-M"], ["5"], [""], kind="gift"), "kind"),
    (typed(["TEE-RED-M"], ["5"], [""], expected_on="soon"), "expected_on"),
    (typed(["TEE-RED-M"], ["5"], [""], currency="rmb"), "currency"),
    (typed(["TEE-RED-M"], ["5"], ["5.00"]), "currency"),  # a cost, and no currency to read it in
    (typed([], [], []), "sku-1"),
    (typed(["TEE-RED-M", ""], ["5", "2"], ["", ""]), "sku-2"),
    (typed(["TEE-RED-M"], ["-1"], [""]), "quantity-1"),
    (typed(["TEE-RED-M"], ["2.5"], [""]), "quantity-1"),
    (typed(["TEE-RED-M", "TEE-RED-M"], ["1", "2"], ["", ""]), "sku-2"),
    (typed(["TEE-RED-M"], ["1"], ["-3"], currency="CNY"), "unit_cost-1"),
])
def test_each_refusal_names_its_field(form: OrderForm, field: str) -> None:
    with pytest.raises(FlexhubError) as refused:
        form.command(BUYER, terms_currency=None)

    assert refused.value.status == 422 and form.field_of(refused.value) == field


def test_the_handlers_refusals_are_pointed_at_their_line() -> None:
    form = typed(["TEE-RED-M", "TEE-GONE"], ["1", "2"], ["", ""])

    assert form.field_of(UnknownSku("unknown SKU TEE-GONE", sku="TEE-GONE")) == "sku-2"
    assert form.field_of(InvalidLines("no unit cost in CNY for TEE-RED-M: give one or set the supplier's terms",
                                      sku="TEE-RED-M")) == "unit_cost-1"
    assert form.field_of(InvalidLines("quantities must be positive", skus=["TEE-GONE"])) == "quantity-2"
    assert form.field_of(InvalidLines("one line per SKU")) is None  # said above the form, pointing nowhere
