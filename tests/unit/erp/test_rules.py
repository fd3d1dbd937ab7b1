"""The ERP's pure rules: credentials per kind, field ownership and conflicts, what a bad answer means, customer
accounts, document lines."""

from hypothesis import given
from hypothesis import strategies as st

from flexhub.erp import rules


def test_each_kind_names_its_missing_credentials_blank_ones_too() -> None:
    assert rules.missing_credentials("odoo", {"database": "db", "login": " ", "api_key": "k"}) == ["login"]
    assert rules.missing_credentials("kingdee", {}) == ["acct_id", "username", "app_id", "app_secret", "lcid"]
    assert rules.missing_credentials("erpnext", {"api_key": "k", "api_secret": "s"}) == []


def test_the_erps_fields_are_taken_and_the_hubs_shown_as_conflicts() -> None:
    owners = rules.ownership({"ownership": {"product": {"name": "hub"}}})["product"]
    hub = {"name": "Tee", "barcode": None, "standard_cost": 2500}
    erp = {"name": "T-shirt", "barcode": "6901", "standard_cost": 2600, "unknown": "x"}

    taken, conflicts = rules.merge_from_erp(owners, hub, erp)

    assert taken == {"barcode": "6901", "standard_cost": 2600}
    assert conflicts == [rules.FieldChange("name", "Tee", "T-shirt")]


def test_a_field_the_hub_owns_but_has_no_value_for_is_filled_and_equal_values_change_nothing() -> None:
    owners = {"name": "hub", "barcode": "erp"}

    assert rules.merge_from_erp(owners, {"name": None, "barcode": "1"}, {"name": "Tee", "barcode": "1"}) == \
        ({"name": "Tee"}, [])
    assert rules.merge_from_erp(owners, {"name": "Tee"}, {"name": None}) == ({}, [])


def test_refusals_on_the_merits_are_parked_and_passing_troubles_retried() -> None:
    assert [r for r in ("validation", "refused", "access_denied") if rules.gives_up(r)] == \
        ["validation", "refused", "access_denied"]
    assert [r for r in ("session_expired", "rate_limited", "timeout", "unavailable", "unmapped")
            if rules.gives_up(r)] == []
    assert rules.readable("rate_limited", "HTTP 429") == "rate limit: HTTP 429"
    assert rules.readable("timeout", "") == "timeout"


def test_an_order_is_booked_to_its_resellers_account_its_channels_or_the_one_named() -> None:
    assert rules.customer_ref({}, "web", None) == ("flexhub:channel:web", "Channel web")
    assert rules.customer_ref({}, "amazon-us", "res1") == ("flexhub:reseller:res1", "Reseller res1")
    assert rules.customer_ref({"customers": {"web": "C0001"}}, "web", None) == ("flexhub:C0001", "C0001")


def test_document_lines_add_up_a_skus_units_and_drop_empty_lines() -> None:
    lines = [{"sku": "A", "quantity": 2, "unit_price": 100}, {"sku": "B", "quantity": 0},
             {"sku": "A", "quantity": 1, "unit_price": 100}]

    assert rules.document_lines(lines) == [{"sku": "A", "quantity": 3, "unit_price": 100}]


def test_a_supplier_is_coded_by_its_own_reference_else_by_its_id() -> None:
    assert rules.supplier_code("odoo", {"ref": "7", "code": "MILL-1"}) == "MILL-1"
    assert rules.supplier_code("odoo", {"ref": "7", "code": None}) == "odoo-supplier-7"


@given(st.fixed_dictionaries({kind: st.integers(-10**9, 10**9) for kind in
                              ("sales", "refunds", "fees", "adjustments", "payouts")}))
def test_a_settlement_journal_always_balances_and_names_only_known_roles(money: dict[str, int]) -> None:
    lines = rules.journal_lines(money)

    assert sum(line["debit"] for line in lines) == sum(line["credit"] for line in lines)
    assert all(line["role"] in rules.ACCOUNT_ROLES for line in lines)
    assert all(min(line["debit"], line["credit"]) == 0 and max(line["debit"], line["credit"]) > 0 for line in lines)


def test_what_a_statement_leaves_on_the_platforms_balance_is_debited_to_clearing() -> None:
    lines = rules.journal_lines({"sales": 10000, "refunds": -1000, "fees": 300, "adjustments": 0, "payouts": -5000})

    assert {line["role"]: (line["debit"], line["credit"]) for line in lines} == {
        "clearing": (3700, 0), "fees": (300, 0), "bank": (5000, 0), "receivable": (0, 9000)}
