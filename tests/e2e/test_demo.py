"""`flexhub demo` from start to summary: the README's first command, on a scratch SQLite file it migrates itself;
parcels leave, and the staff user and the keys it prints sign in."""

import re

from typer.testing import CliRunner

from flexhub.bootstrap import bootstrap
from flexhub.cli.main import app
from flexhub.identity.commands import SignInUser


def test_the_demo_runs_a_day_and_oversells_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    monkeypatch.setenv("FLEXHUB_ASSETS_DIR", str(tmp_path / "node_modules"))

    result = CliRunner().invoke(app, ["demo", "--minutes", "0.1", "--no-serve", "--port", "0"])

    assert result.exit_code == 0, result.output
    assert re.search(r"^Dashboard: http://127\.0\.0\.1:\d+/", result.output, re.MULTILINE)
    assert re.search(r"^Admin key: fhk_\w+_\S+$", result.output, re.MULTILINE)
    assert re.search(r"^Supplier key: fhk_\w+_\S+$", result.output, re.MULTILINE)
    reseller_key = re.search(r"^Reseller key \(reseller-sg\): (fhk_\w+_\S+)$", result.output, re.MULTILINE)
    staff = re.search(r"^Staff sign-in: (\S+)  password: (\S+)$", result.output, re.MULTILINE)
    assert reseller_key and staff, result.output
    assert not re.search(r"^│(\s*│)+$", result.output, re.MULTILINE)  # no empty header row in any table
    # Taken after the warehouse settled: what the dashboard shows a minute later.
    assert re.search(r"routed, waiting for the warehouse\s*│\s*0\s", result.output)
    assert "still under way" not in result.output
    # Dirty orders keyed in by phone: 5 held by the cleaning rules, the blacklisted one refused, a clean one taken;
    # the first reseller sends orders of its own with its key.
    assert re.search(r"^cleaning: 5 dirty orders held, 1 refused, 1 taken; reseller-sg's own orders: "
                     r"\{'(reserved|awaiting_stock)': 3\}$", result.output, re.MULTILINE), result.output
    # Self-service: reseller-sg connects its own Shopee store with its key and its buyers order there; reseller-my
    # pays what it owes and its held orders now covered are released; each reseller's statement in the summary.
    assert re.search(r"^reseller-sg connected its own store shopee-reseller-sg with its key: 24 listings mapped$",
                     result.output, re.MULTILINE), result.output
    assert re.search(r"^reseller-my paid \d+\.\d\d SGD: \d+ orders held over its credit limit released$",
                     result.output, re.MULTILINE), result.output
    assert re.search(r"^┃\s*┃\s*reseller-my\s*┃\s*reseller-sg\s*┃\s*$", result.output, re.MULTILINE), result.output
    rows = {label: re.findall(r"│\s*(-?[\d,.]+(?: / \d+| SGD)?)\s*(?=│)", line)
            for label, line in re.findall(r"^│ (orders taken / held|goods charged|代发费 charged|paid|balance owed"
                                           r"|credit left)\s*(│.*)$", result.output, re.MULTILINE)}
    assert len(rows) == 6 and all(len(figures) == 2 for figures in rows.values()), result.output
    for n in range(2):  # each reseller took orders, charged goods and 3.00 SGD of 代发费 an order (cancelled too)
        taken = int(rows["orders taken / held"][n].split(" / ")[0])
        goods, fees = (float(rows[k][n].removesuffix(" SGD").replace(",", "")) for k in ("goods charged",
                                                                                        "代发费 charged"))
        assert taken > 0 and goods > 0 and fees >= 3.00 * taken, rows
    assert rows["paid"][0] != "0.00 SGD", rows  # reseller-my paid what it owed
    assert re.search(r"^settlement statement of shopify-global \(shopify_payments\): \d+ lines, 4 differences "
                     r"planted$", result.output, re.MULTILINE)
    # The gross margin per channel over the orders shipped, read once the day has settled (finance's shipped basis).
    assert "Gross margin per channel (orders shipped)" in result.output, result.output
    assert re.search(r"^│\s*\S+\s*│\s*[A-Z]{3}\s*│\s*-?[\d,.]+\s*│\s*-?[\d,.]+\s*│\s*-?\d+\.\d%\s*│\s*\d+\s*│$",
                     result.output, re.MULTILINE), result.output
    # Shoppers scan and buy in the four stores through the day, each sale paid through the sandbox WeChat Pay, and
    # the staff hand the pick-ups waiting over by their codes at the day's end.
    scanned = re.search(r"^scan-to-buy in the stores: (\d+) sales paid through WeChat Pay \(sandbox\): (\d+) taken "
                        r"now \((\d+) handed over\), (\d+) to pick up \((\d+) handed over by code\), (\d+) shipped "
                        r"\(from [^)]*\); (\d+) held or short", result.output, re.MULTILINE)
    assert scanned, result.output
    sold, taken, taken_over, to_pick_up, picked_up, shipped, waiting = map(int, scanned.groups())
    # Taken now and picked up at the store: no parcel to address, so the brand's address rule holds none of them.
    assert sold > 0 and sold == taken + to_pick_up + shipped, result.output
    assert (taken_over, picked_up, waiting) == (taken, to_pick_up, 0), result.output
    received = int(re.search(r"orders received by flexhub\s*│\s*(\d+)", result.output).group(1))
    assert received > 0
    assert re.search(r"oversold\s*│\s*0\s", result.output)
    # What the stores sold that the hub could not fill is kept and counted, per channel and in total, apart
    # from what the hub accepted.
    channels = [tuple(map(int, row)) for row in re.findall(
        r"^│\s*\S+\s*│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│\s*(\d+)\s*│$", result.output, re.MULTILINE)]
    accepted = int(re.search(r"accepted \(stock reserved\)\s*│\s*(\d+)", result.output).group(1))
    awaiting = int(re.search(r"kept, awaiting stock \(sold on the platform first\)\s*│\s*(\d+)",
                             result.output).group(1))
    assert channels and sum(c[0] for c in channels) == received
    assert (sum(c[1] for c in channels), sum(c[2] for c in channels)) == (accepted, awaiting)
    assert all(orders >= taken + kept + cancelled for orders, taken, kept, cancelled in channels)
    for figure in ("Orders per channel", "accepted (stock reserved)", "rejected: refused by the stores",
                   "sync lag p50 / p99 (ms)", "Routing mix"):
        assert figure in result.output, figure
    shipped = int(re.search(r"shipped \(orders\)\s*│\s*(\d+)", result.output).group(1))
    parcels = int(re.search(r"parcels handed to SF Express / collected in store\s*│\s*(\d+) / (\d+)",
                            result.output).group(1))
    assert shipped > 0 and parcels > 0  # the warehouse really shipped during the day
    assert re.search(r"purchase and production orders\s*│\s*4\s", result.output)
    assert re.search(r"shipment notices \(ASNs\)\s*│\s*2\s", result.output)
    assert re.search(r"receiving discrepancies\s*│\s*1\s", result.output)
    # Weeks of sales before the day give the forecasts something to read: stock-outs ahead are alerted.
    assert re.search(r"^sales history \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d: [1-9]\d* units", result.output, re.MULTILINE)
    # 147 days of it: the learned forecast trains on them, and the day's plans read it.
    trained = (r"^forecast: lightgbm_global trained on 1[56]\d\d series × 147 days in [\d.]+ s; over its 28 held-out "
               r"days WAPE [\d.]+%, bias [+-][\d.]+% \(numpy core: WAPE [\d.]+%\)$")
    assert re.search(trained, result.output, re.MULTILINE), result.output
    assert re.search(r"stock alerts raised / cleared\s*│\s*\d+ / \d+", result.output)
    alerts = re.search(r"stock alerts open: stock-outs / excess\s*│\s*(\d+) / (\d+)", result.output)
    assert alerts and int(alerts.group(1)) > 0 and int(alerts.group(2)) > 0

    # The brand's ERP (the sandbox Odoo the demo connects) got the day: its orders and shipments, the returns and
    # the statement's journal, nothing left waiting, parked or failing.
    assert re.search(r"^ERP: the sandbox Odoo at http://127\.0\.0\.1:\d+/odoo, connected as odoo$", result.output,
                     re.MULTILINE)
    assert re.search(r"^returns: 3 inspected; ERP backlog after the day: 0$", result.output, re.MULTILINE)
    sent = re.search(r"documents sent / waiting \(backlog\) / parked\s*│\s*(\d+) / 0 / 0\s", result.output)
    in_odoo = re.search(r"in Odoo: sales orders / deliveries\s*│\s*(\d+) / (\d+)\s", result.output)
    assert sent and in_odoo, result.output
    assert int(in_odoo.group(1)) == received and int(in_odoo.group(2)) >= parcels
    assert int(sent.group(1)) >= received + parcels + 3 + 1
    statements = len(re.findall(r"^settlement statement of ", result.output, re.MULTILINE))
    journals = re.search(r"in Odoo: credit notes / journal entries\s*│\s*3 / (\d+)\s", result.output)
    assert journals and statements <= int(journals.group(1)) <= 2 * statements  # one per statement and currency
    assert re.search(r"reading from the ERP\s*│\s*OK\s", result.output)

    hub = bootstrap(combine=False)
    try:
        signed_in = hub.handle(SignInUser(login=staff.group(1), password=staff.group(2)))
        reseller = hub.keyring.key_for(reseller_key.group(1))
    finally:
        hub.close()
    assert signed_in.actor.role == "operator"
    assert reseller.role == "partner" and reseller.partner_id is not None
