"""The ERP's pure rules: credentials per kind, field ownership and conflicts, what a bad answer means, customer
accounts, document lines."""

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
