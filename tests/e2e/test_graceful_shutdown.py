"""SIGTERM, as an orchestrator stops a container: `flexhub serve` stops taking connections, answers the requests
it holds, stops the writer and the transport, and exits within its drain; `flexhub worker` stops its jobs and
exits 0 too. Every order answered 2xx is kept."""

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest
from cryptography.fernet import Fernet

from flexhub.bootstrap import bootstrap
from flexhub.channels.commands import CreateChannel
from flexhub.identity.commands import CreateApiKey
from flexhub.ordering.queries import list_orders
from flexhub.settings import Settings
from flexhub.testing.builders import create_location, create_sku, create_tenant, order_body, receive
from flexhub.testing.topology import Topology

DRAIN_S = 5


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_sigterm_finishes_what_is_in_hand_and_exits_cleanly(database_url, tmp_path):
    settings = {"database_url": database_url, "secret_key": Fernet.generate_key().decode(),
                "shutdown_drain_s": DRAIN_S}
    hub = bootstrap(Settings(**settings))
    try:
        admin = create_tenant(hub, "acme")
        token = hub.handle(CreateApiKey(actor=admin, role="admin", name="shutdown"))["token"]
        create_sku(hub, admin, "TEE-RED-M")
        create_location(hub, admin, "WH-CENTRAL")
        hub.handle(CreateChannel(actor=admin, code="web", platform="generic"))
        receive(hub, admin, "TEE-RED-M", "WH-CENTRAL", 1000)
        topology = Topology(tmp_path, settings).start(apis=1, workers=1)
        [api], [worker] = topology.apis, topology.workers
        answers: dict[str, int | str] = {}
        lock = threading.Lock()

        def post(n: int) -> None:
            external_id = f"T-{n:04d}"
            try:
                status: int | str = httpx2.post(f"{api.url}/api/v1/orders", json=order_body(external_id),
                                                headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code
            except httpx2.ConnectError:
                status = "refused"  # after SIGTERM: no new connections, as wanted
            with lock:
                answers[external_id] = status

        try:
            with ThreadPoolExecutor(8) as pool:
                for n in range(300):
                    pool.submit(post, n)
                while len(answers) < 40:  # mid-way through the posts
                    time.sleep(0.01)
                api.popen.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
                worker.popen.send_signal(signal.SIGTERM)  # type: ignore[union-attr]
                stopped_at = time.monotonic()
                # the API's own exit, timed on its own: leaving the pool first waited for every post it still held
                # too (each up to its 30 s time-out); the worker stops beside it
                api_code = api.popen.wait(DRAIN_S + 15)  # type: ignore[union-attr]
                took_s = time.monotonic() - stopped_at
            worker_code = worker.popen.wait(DRAIN_S + 15)  # type: ignore[union-attr]
        finally:
            topology.stop()
        # uvicorn re-raises SIGTERM once it has shut down (143, as orchestrators expect); the hub stopped before.
        assert api_code in (0, -signal.SIGTERM) and worker_code == 0, topology.log_of(api) + topology.log_of(worker)
        assert "stopped" in topology.log_of(api)
        assert took_s < DRAIN_S + 15
        assert set(answers.values()) <= {201, "refused"}, answers  # none cut off with a 5xx or a reset
        answered = sorted(external_id for external_id, status in answers.items() if status == 201)
        assert answered and "refused" in answers.values()
        with hub.uow(write=False) as uow:
            kept = sorted(order["external_id"] for order in list_orders(uow.connection, admin.tenant_id, limit=500))
        assert kept == answered
    finally:
        hub.close()
