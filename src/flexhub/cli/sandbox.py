"""`flexhub sandbox`: local marketplaces on 127.0.0.1 speaking each platform's wire format, until Ctrl-C.

One store per platform (code "<platform>-1"), each listing the same SKUs. Their credentials and base
URLs are printed as JSON on stdout, ready for `POST /api/v1/channels` (and listings); with
`--hub-key` the sandbox registers them with the hub itself. Orders go to `--hub-url` as each
platform sends them (webhooks, or pushes naming the order), at `--orders-per-s`, with `--spike`. A sandbox
SF Express is served on `--carrier-port`: it issues waybills, answers route queries, and moves each parcel one
scan every `--scan-every-s`, pushing it to the hub (with `--hub-key`, registered there as a carrier account).
Sandbox ERPs (Odoo, ERPNext, Kingdee) holding the same SKUs are served on `--erp-port`; with `--hub-key` (an
admin's) each is connected to the hub.
"""

import json
import secrets
import threading
from contextlib import ExitStack

import httpx2
import structlog
import typer
import uvicorn
from rich.console import Console

from flexhub.ops import logs
from flexhub.sandbox.app import create_app
from flexhub.sandbox.buyers import Buyers
from flexhub.sandbox.carrier import SfSandbox
from flexhub.sandbox.carrier import create_app as create_carrier_app
from flexhub.sandbox.erp.app import SandboxErps
from flexhub.sandbox.erp.app import create_app as create_erp_app
from flexhub.sandbox.market import Market
from flexhub.sandbox.platforms import available
from flexhub.sandbox.server import HOST, served
from flexhub.sandbox.store import Store

app = typer.Typer(help="Local marketplaces on 127.0.0.1 (Shopify, Amazon, Taobao, Douyin, ...).")


@app.callback(invoke_without_command=True)
def sandbox(
    port: int = typer.Option(8100, help="port on 127.0.0.1"),
    platforms: str = typer.Option("", help="comma-separated platforms [default: every one the sandbox has]"),
    hub_url: str = typer.Option("http://127.0.0.1:8000", help="the hub that receives order webhooks"),
    hub_key: str = typer.Option("", help="an API key of the hub: register each store there as a channel"),
    skus: str = typer.Option("TEE-RED-M", help="comma-separated seller SKUs every store lists"),
    stock: int = typer.Option(0, help="what each listing shows before the hub's first push"),
    orders_per_s: float = typer.Option(0.0, help="buyers ordering in the stores (0: none)"),
    spike: bool = typer.Option(False, help="flash-sale spikes: 10x the rate for 1 s in every 5 s"),
    carrier_port: int = typer.Option(8101, help="port of the sandbox SF Express on 127.0.0.1 (0: none)"),
    scan_every_s: float = typer.Option(5.0, help="each SF parcel moves one scan along its way this often"),
    erp_port: int = typer.Option(8102, help="port of the sandbox ERPs on 127.0.0.1 (0: none)"),
) -> None:
    """Serve sandbox marketplaces; print their stores (credentials included) as JSON."""
    structlog.configure(logger_factory=structlog.PrintLoggerFactory(logs.STDERR))
    console = Console(stderr=True)
    market = Market(base_url=f"http://{HOST}:{port}", hub_url=hub_url)
    chosen = [p for p in platforms.split(",") if p] or available()
    stores = [market.open_store(p, f"{p}-1", [s for s in skus.split(",") if s], quantity=stock,
                                sells=p != "amazon") for p in chosen]
    print(json.dumps([_described(store) for store in stores], indent=2), flush=True)
    if hub_key:
        _register(console, hub_url, hub_key, stores)
    carrier = _carrier(console, carrier_port, scan_every_s, hub_url, hub_key) if carrier_port else None
    erps = _erps(console, erp_port, [s for s in skus.split(",") if s], hub_url, hub_key) if erp_port else None
    buyers = Buyers(market, per_second=orders_per_s, spike=spike) if orders_per_s > 0 else None
    server = uvicorn.Server(uvicorn.Config(create_app(market), host=HOST, port=port, log_level="warning"))
    if buyers:
        threading.Thread(target=lambda: _shop_when_up(server, buyers), name="sandbox-buyers", daemon=True).start()
    console.print(f"sandbox on http://{HOST}:{port} ({', '.join(chosen)}); orders go to {hub_url}; Ctrl-C stops")
    try:
        server.run()
    finally:
        if buyers:
            buyers.stop()
        if carrier:
            carrier.close()
        if erps:
            erps.close()
        market.close()


def _carrier(console: Console, port: int, every_s: float, hub_url: str, key: str) -> ExitStack:
    """The sandbox SF Express served beside the stores; with a hub key, registered there as a carrier account whose
    push URL the sandbox then pushes every scan to. Its parcels move one scan every `every_s`."""
    sf = SfSandbox()
    stack = ExitStack()
    stack.callback(sf.close)
    url = stack.enter_context(served(create_carrier_app(sf), port=port))
    credentials = sf.credentials(url, secrets.token_hex(16))
    if key:
        with httpx2.Client(base_url=hub_url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
            answer = client.post("/api/v1/carrier-accounts", json={"carrier": "sf_express", "credentials": credentials})
        console.print(f"carrier account sf_express: HTTP {answer.status_code}")
        if answer.status_code == 201:
            sf.push_url = (f"{hub_url.rstrip('/')}/webhooks/carriers/sf_express/{answer.json()['id']}"
                           f"?token={credentials['push_token']}")
    console.print(f"sandbox SF Express on {url}; account: {json.dumps(credentials)}")
    stop = threading.Event()
    stack.callback(stop.set)
    threading.Thread(target=sf.run, args=(every_s, stop), name="sandbox-sf-scans", daemon=True).start()
    return stack


def _erps(console: Console, port: int, skus: list[str], hub_url: str, key: str) -> ExitStack:
    """Odoo, ERPNext and Kingdee sandboxes holding the stores' SKUs; with a hub key, each connected there."""
    erps = SandboxErps()
    erps.stock(skus)
    stack = ExitStack()
    url = stack.enter_context(served(create_erp_app(erps.handlers()), port=port))
    bodies = erps.connections(url)
    if key:
        with httpx2.Client(base_url=hub_url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
            for body in bodies:
                answer = client.post("/api/v1/erp/connections", json=body)
                console.print(f"ERP connection {body['code']}: HTTP {answer.status_code}")
    console.print(f"sandbox ERPs on {url}: {json.dumps(bodies)}")
    return stack


def _described(store: Store) -> dict:
    view = store.view()
    return {"platform": view["platform"], "code": view["code"], "credentials": view["credentials"],
            "listings": [{k: x[k] for k in ("sku", "item_id", "location_id")} for x in view["listings"]]}


def _register(console: Console, hub_url: str, key: str, stores: list[Store]) -> None:
    with httpx2.Client(base_url=hub_url, headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
        for store in stores:
            answer = client.post("/api/v1/channels", json={"code": store.code, "platform": store.platform.name,
                                                            "credentials": store.credentials})
            console.print(f"channel {store.code}: HTTP {answer.status_code}")
            for listing in store.listings.values():
                client.post(f"/api/v1/channels/{store.code}/listings", json={
                    "external_sku": listing.sku, "sku": listing.sku, "external_item_id": listing.item_id,
                    "external_location_id": listing.location_id})


def _shop_when_up(server: uvicorn.Server, buyers: Buyers) -> None:
    while not server.started:
        threading.Event().wait(0.05)
    buyers.run()
