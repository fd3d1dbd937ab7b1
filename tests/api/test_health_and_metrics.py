"""Liveness and readiness, the request id every answer carries, and the Prometheus metrics."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import structlog
from fastapi.testclient import TestClient
from opentelemetry import metrics, trace

from flexhub.api.app import create_app
from flexhub.bootstrap import bootstrap
from flexhub.ops import logs
from flexhub.settings import Settings
from flexhub.testing import builders
from flexhub.testing.api_client import Api


def _client_over(url: str, tmp_path: Path) -> tuple[TestClient, object]:
    hub = bootstrap(Settings(database_url=url, secret_key_file=str(tmp_path / "secret.key")))
    return TestClient(create_app(hub)), hub


def test_a_file_that_is_not_a_database_is_alive_but_not_ready(tmp_path):
    not_a_database = tmp_path / "flexhub.db"
    not_a_database.write_text("these are someone's notes, not a database\n" * 100)
    client, hub = _client_over(f"sqlite:///{not_a_database}", tmp_path)
    try:
        assert client.get("/healthz").status_code == 200  # the process answers: liveness only
        # Before, nothing said this process could not serve while every API call answered 500.
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "not ready"
        assert [reason["code"] for reason in ready.json()["reasons"]] == ["database_unreachable"]
        assert "not a database" in ready.json()["reasons"][0]["detail"]
    finally:
        hub.close()


def test_a_database_not_migrated_to_head_is_not_ready(tmp_path):
    client, hub = _client_over(f"sqlite:///{tmp_path / 'empty.db'}", tmp_path)
    try:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        [reason] = ready.json()["reasons"]
        assert reason["code"] == "schema_not_migrated" and "flexhub db upgrade" in reason["detail"]
    finally:
        hub.close()


def test_a_migrated_database_is_ready(api: Api):
    response = api.client.get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ready"}


def test_every_answer_carries_a_request_id_taken_from_the_caller_when_sane(api: Api):
    given = api.client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.2"})
    assert given.headers["x-request-id"] == "lb-7f3a.2"
    made = api.client.get("/healthz")
    forged = api.client.get("/healthz", headers={"X-Request-ID": "x\" level=error msg=forged"})
    for response in (made, forged):
        assert len(response.headers["x-request-id"]) == 32 and response.headers["x-request-id"].isalnum()
    assert made.headers["x-request-id"] != forged.headers["x-request-id"]
    failed = api.client.get("/api/v1/orders", headers={"X-Request-ID": "req-401"})
    assert failed.status_code == 401 and failed.headers["x-request-id"] == "req-401"


def test_log_lines_written_during_a_request_carry_its_id_in_json(api: Api):
    stream = io.StringIO()
    root_handlers, root_level = logging.getLogger().handlers[:], logging.getLogger().level
    logs.configure("INFO", "json", stream=stream)
    try:
        api.client.get("/api/v1/orders", headers={**api.headers("viewer"), "X-Request-ID": "req-42"})
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers[:], _ = root_handlers, logging.getLogger().setLevel(root_level)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [request] = [line for line in lines if line.get("event") == "request"]
    assert request["request_id"] == "req-42" and request["status"] == 200 and request["path"] == "/api/v1/orders"
    assert request["level"] == "info" and "timestamp" in request


def test_fastapis_own_telemetry_is_off_and_its_providers_are_not_asked_per_request(api: Api, monkeypatch):
    """flexhub's metrics are Prometheus' and its logs structlog's; FastAPI's OpenTelemetry, on by default, asked the
    global providers whether any was set up on every request."""
    def asked() -> None:
        raise AssertionError("a telemetry provider was asked for")

    for module, getter in ((trace, "get_tracer_provider"), (metrics, "get_meter_provider")):
        monkeypatch.setattr(module, getter, asked)

    assert api.client.get("/healthz").status_code == 200
    assert api.client.get("/api/v1/orders", headers=api.headers("viewer")).status_code == 200


def test_metrics_count_imports_and_read_the_lags(shop: Api):
    shop.post("/api/v1/orders", builders.order_body("M-1"))
    text = shop.client.get("/metrics").text
    assert 'flexhub_orders_imported_total{outcome="created"}' in text
    assert "flexhub_reservation_seconds_bucket" in text
    assert "flexhub_outbox_lag_seconds" in text and "flexhub_job_lag_seconds" in text
    assert "flexhub_jobs_dead 0.0" in text


def test_metrics_from_several_processes_are_summed_in_multiprocess_mode(tmp_path):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    count = "from flexhub.kernel import metrics; metrics.THROTTLED.labels('shop.example').inc({n})"
    for n in (2, 3):  # two uvicorn workers, each counting in its own process
        subprocess.run([sys.executable, "-c", count.format(n=n)], env=env, check=True)
    scraped = subprocess.run([sys.executable, "-c", "from flexhub.kernel import metrics; "
                              "print(metrics.render()[0].decode())"], env=env, check=True, capture_output=True,
                             text=True).stdout
    assert 'flexhub_outbound_throttled_total{host="shop.example"} 5.0' in scraped
