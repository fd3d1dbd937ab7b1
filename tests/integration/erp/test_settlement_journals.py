"""Settlement journals out to each ERP, on SQLite and PostgreSQL: an imported statement becomes one balanced journal
per currency — Odoo an account.move entry, ERPNext a Journal Entry, Kingdee a 凭证 GL_VOUCHER — through the same
outbox → job queue path as every document; its accounts come from the mappings (a role not mapped waits in the
unmapped queue, and the journal with it); a statement imported again, a replayed event or a lost answer make
nothing twice."""

from collections.abc import Iterator
from typing import Any

import pytest

from flexhub.bootstrap import bootstrap
from flexhub.erp import queries
from flexhub.erp.commands import CreateConnection, MapRecord, SyncConnection
from flexhub.finance import ImportStatement
from flexhub.sandbox.erp.erpnext import ErpNextSandbox
from flexhub.sandbox.erp.kingdee import KingdeeSandbox
from flexhub.settings import Settings
from flexhub.testing.erp import (
    ERPNEXT_LOGIN,
    ERPNEXT_URL,
    KINGDEE_LOGIN,
    KINGDEE_URL,
    SETTLEMENT_JOURNAL,
    behind_sandbox,
    documents,
    publish,
    settlement,
)
from flexhub.testing.fulfillment import shipping_shop

from .conftest import OdooShop

ACCOUNTS = {"fees": "6602", "bank": "1002", "receivable": "1122", "adjustments": "6711", "clearing": "1012"}


def import_statement(shop: Any) -> str:
    kept = shop.hub.handle(ImportStatement(actor=shop.admin, channel="web", format="shopify_payments",
                                           content=settlement()))
    return str(kept.id)


def map_accounts(shop: Any, code: str, accounts: dict[str, str]) -> None:
    for role, ref in accounts.items():
        shop.hub.handle(MapRecord(actor=shop.admin, code=code, kind="account", hub_code=role, erp_ref=ref))


def test_a_statement_becomes_one_balanced_entry_in_odoo_once_its_accounts_are_mapped(shop: OdooShop) -> None:
    ids = {role: shop.odoo.add("account.account", {"name": role.title(), "code": code})
           for role, code in ACCOUNTS.items()}
    map_accounts(shop, "odoo", {"fees": "6602", "bank": "1002"})  # receivable and adjustments not yet
    statement = import_statement(shop)
    shop.odoo.fail_next("lost_answer", model="account.move", method="create")

    publish(shop)

    (waiting,) = documents(shop.hub)
    assert (waiting.kind, waiting.hub_ref, waiting.state) == ("journal", f"{statement}:USD", "pending")
    assert waiting.last_error == "unmapped: no ERP account for adjustments, receivable: map it"
    with shop.hub.uow(write=False) as uow:
        queued = [(m["kind"], m["hub_code"]) for m in queries.mappings(uow.connection, shop.admin.tenant_id, "odoo")
                  if not m["mapped"]]
    assert queued == [("account", "adjustments"), ("account", "receivable")]

    map_accounts(shop, "odoo", {"receivable": "1122", "adjustments": "6711"})
    assert shop.hub.erp_sender.send_now(waiting.id) is False  # Odoo made it; the answer was lost
    assert shop.hub.erp_sender.send_now(waiting.id) is True  # found by its ref, not made again

    (entry,) = shop.odoo.records("account.move")
    assert (entry["move_type"], entry["ref"], entry["date"]) == ("entry", f"flexhub:{statement}:USD", "2026-12-04")
    assert entry["currency_id"][1] == "USD"
    lines = {line["account_id"][0]: (line["debit"], line["credit"]) for line in shop.odoo.records("account.move.line")}
    assert lines == {ids[role]: (debit / 100, credit / 100) for role, (debit, credit) in SETTLEMENT_JOURNAL.items()}

    import_statement(shop)  # the same statement again: the same statement, no new event
    shop.hub.handle(SyncConnection(actor=shop.admin, code="odoo"))
    publish(shop)
    assert len(documents(shop.hub)) == 1
    assert sum(1 for c in shop.odoo.calls if c["model"] == "account.move" and c["call"] == "create") == 1


def test_an_unbalanced_entry_odoo_refuses_is_parked_with_its_reason(shop: OdooShop) -> None:
    for role, code in ACCOUNTS.items():
        shop.odoo.add("account.account", {"name": role, "code": code})
    map_accounts(shop, "odoo", ACCOUNTS)
    import_statement(shop)
    shop.odoo.fail_next("validation", model="account.move", method="create")

    publish(shop)

    (parked,) = documents(shop.hub)
    assert (parked.state, parked.last_error) == \
        ("dead", "validation error: The operation cannot be completed: sandbox refused it")
    assert shop.odoo.records("account.move") == []


@pytest.fixture
def erpnext(database_url: str) -> Iterator[Any]:
    hub = bootstrap(Settings(database_url=database_url))
    try:
        admin = shipping_shop(hub)
        erp = behind_sandbox(hub, ErpNextSandbox())
        hub.handle(CreateConnection(actor=admin, code="next", kind="erpnext", url=ERPNEXT_URL,
                                    credentials=ERPNEXT_LOGIN))
        yield type("Shop", (), {"hub": hub, "admin": admin, "erp": erp})
    finally:
        hub.close()


def test_a_statement_becomes_one_journal_entry_in_erpnext(erpnext: Any) -> None:
    names = {role: f"{role.title()} - BR" for role in ACCOUNTS}
    for name in names.values():
        erpnext.erp.add("Account", {"account_name": name})
    map_accounts(erpnext, "next", names)
    statement = import_statement(erpnext)
    erpnext.erp.fail_next("rate_limit", doctype="Journal Entry", method="POST")

    publish(erpnext)
    (limited,) = documents(erpnext.hub)
    assert (limited.state, limited.last_error) == ("pending", "rate limit: HTTP 429, retry after 3 s")
    assert erpnext.hub.erp_sender.send_now(limited.id) is True

    (entry,) = erpnext.erp.records("Journal Entry")
    assert (entry["cheque_no"], entry["posting_date"], entry["voucher_type"]) == \
        (f"flexhub:{statement}:USD", "2026-12-04", "Journal Entry")
    assert {row["account"]: (row["debit_in_account_currency"], row["credit_in_account_currency"])
            for row in entry["accounts"]} == \
        {names[role]: (debit / 100, credit / 100) for role, (debit, credit) in SETTLEMENT_JOURNAL.items()}


@pytest.fixture
def kingdee(database_url: str) -> Iterator[Any]:
    hub = bootstrap(Settings(database_url=database_url))
    try:
        admin = shipping_shop(hub)
        erp = behind_sandbox(hub, KingdeeSandbox())
        erp.add("BD_AccountBook", {"FNumber": "001", "FName": "主账簿"})
        hub.handle(CreateConnection(actor=admin, code="kd", kind="kingdee", url=KINGDEE_URL,
                                    credentials=KINGDEE_LOGIN, settings={"account_book": "001"}))
        yield type("Shop", (), {"hub": hub, "admin": admin, "erp": erp})
    finally:
        hub.close()


def test_a_statement_becomes_one_audited_voucher_in_kingdee(kingdee: Any) -> None:
    for code in ACCOUNTS.values():
        kingdee.erp.add("BD_Account", {"FNumber": code, "FName": code})
    map_accounts(kingdee, "kd", ACCOUNTS)
    statement = import_statement(kingdee)
    kingdee.erp.fail_next("session_expired", "timeout", operation="Save", form="GL_VOUCHER")

    publish(kingdee)  # the lost session signed in again, then the save timed out
    (waiting,) = documents(kingdee.hub)
    assert (waiting.state, waiting.last_error) == ("pending", "timeout: no answer in time (ReadTimeout)")
    assert kingdee.hub.erp_sender.send_now(waiting.id) is True

    (voucher,) = kingdee.erp.records("GL_VOUCHER")
    assert (voucher["FAccountBookID"], voucher["FDate"], voucher["FDocumentStatus"]) == \
        ({"FNumber": "001"}, "2026-12-04", "C")
    assert {e["FEXPLANATION"] for e in voucher["FEntity"]} == {f"flexhub:{statement}:USD"}
    assert {e["FACCOUNTID"]["FNumber"]: (e["FDEBIT"], e["FCREDIT"]) for e in voucher["FEntity"]} == \
        {ACCOUNTS[role]: (debit / 100, credit / 100) for role, (debit, credit) in SETTLEMENT_JOURNAL.items()}
    # Saves asked: refused for the lost session, timed out, made: one voucher.
    assert sum(1 for c in kingdee.erp.calls if c["operation"] == "Save" and c["form"] == "GL_VOUCHER") == 3
