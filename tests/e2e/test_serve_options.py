"""`flexhub serve` as an operator starts it: `--workers N` runs N API processes on one port, each answering, all
stopped by one SIGTERM with every order answered 2xx kept; two of them sell the last units exactly while the jobs
run once, in the supervising process; `--forwarded-allow-ips` decides whose X-Forwarded-For
and X-Forwarded-Proto count (the sign-in limit counts the client behind a trusted proxy, and the session cookie is
Secure when the proxy says the request came over TLS); FLEXHUB_LOG_FORMAT and FLEXHUB_LOG_LEVEL shape its log."""

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import func, select

from flexhub.bench.oversell import audit_stock
from flexhub.bootstrap import Hub
from flexhub.db.jobs.model import RateBucket
from flexhub.db.outbox import OutboxEvent
from flexhub.identity.commands import CreateApiKey
from flexhub.ordering.queries import list_orders
from flexhub.testing.builders import PASSWORD, create_shop, create_user, line, order_body
from flexhub.testing.hubs import running_hub
from flexhub.testing.topology import STARTS_WITHIN_S, free_port

LOGIN = "li.na@brand.example"


@contextmanager
def serving(database_url: str, log: Path, *arguments: str, **settings: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`flexhub serve` with these arguments (`--no-jobs` unless they say `--jobs`) and FLEXHUB_ settings, until it
    answers /readyz."""
    port = free_port()
    env = {**os.environ, "FLEXHUB_DATABASE_URL": database_url, "FLEXHUB_SHUTDOWN_DRAIN_S": "5",
           **{f"FLEXHUB_{name.upper()}": value for name, value in settings.items()}}
    jobs = [] if "--jobs" in arguments else ["--no-jobs"]
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "flexhub.cli.main", "serve", *jobs, "--port",
                                    str(port), *arguments], env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTS_WITHIN_S
        while not _ready(url):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def _ready(url: str) -> bool:
    try:
        return httpx2.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx2.HTTPError:
        return False


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_workers_run_that_many_api_processes_and_stop_on_one_sigterm(database_url: str, tmp_path: Path) -> None:
    with running_hub(database_url) as hub:
        admin = create_shop(hub, stock=100)
        token = hub.handle(CreateApiKey(actor=admin, role="admin", name="workers"))["token"]
        log = tmp_path / "serve.log"
        with serving(database_url, log, "--workers", "2", log_format="json") as (url, process):
            workers = [pid for pid in _children(process.pid) if "spawn_main" in _cmdline(pid)]
            with httpx2.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
                answers = {f"W-{n:03d}": client.post("/api/v1/orders", json=order_body(f"W-{n:03d}")).status_code
                           for n in range(20)}
            process.send_signal(signal.SIGTERM)
            code = process.wait(30)

        assert len(workers) == 2, _children(process.pid)
        assert code in (0, -signal.SIGTERM), log.read_text()[-3000:]
        events = [record.get("event") for record in _records(log)]
        assert events.count("stopped") == 2  # each process stopped its hub
        assert not [r for r in _records(log) if r.get("logger") == "uvicorn.access"]  # one line a request, its own
        assert set(answers.values()) == {201}
        assert all(not Path(f"/proc/{pid}").exists() for pid in workers)
        with hub.uow(write=False) as uow:
            kept = sorted(o["external_id"] for o in list_orders(uow.connection, admin.tenant_id, limit=100))
        assert kept == sorted(answers)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_workers_sell_the_last_units_exactly_and_the_jobs_run_once_beside_them(database_url: str,
                                                                                   tmp_path: Path) -> None:
    with running_hub(database_url) as hub:
        admin = create_shop(hub, stock=10)
        token = hub.handle(CreateApiKey(actor=admin, role="admin", name="workers"))["token"]
        headers = {"Authorization": f"Bearer {token}"}
        log = tmp_path / "serve.log"
        with serving(database_url, log, "--workers", "2", "--jobs", log_format="json") as (url, process):
            workers = [pid for pid in _children(process.pid) if "spawn_main" in _cmdline(pid)]

            def buy(n: int) -> tuple[int, str | None]:  # each buyer on a connection of its own
                answer = httpx2.post(f"{url}/api/v1/orders", headers=headers, timeout=60,
                                     json=order_body(f"L-{n:02d}", lines=[line(quantity=1)], on_shortage="reject"))
                return answer.status_code, answer.json().get("error", {}).get("code")

            with ThreadPoolExecutor(64) as buyers:
                answers = list(buyers.map(buy, range(64)))
                for _ in range(20):  # more connections until the kernel has handed some to each process
                    if set(_answering(log)) >= set(workers):
                        break
                    list(buyers.map(lambda _: httpx2.get(f"{url}/api/v1/orders?limit=1", headers=headers), range(16)))
            published = _eventually(lambda: _unpublished(hub) == 0)
            process.send_signal(signal.SIGTERM)
            code = process.wait(30)

        assert sorted(answers) == [(201, None)] * 10 + [(409, "inventory.insufficient_stock")] * 54
        with hub.uow(write=False) as uow:  # the jobs may have routed them on since: the units stay held
            stock = audit_stock(uow.connection, admin.tenant_id)
            kept = list_orders(uow.connection, admin.tenant_id, limit=100)
        assert (stock.reserved, stock.oversold, len(kept)) == (10, 0, 10)
        assert len(workers) == 2 and set(_answering(log)) == set(workers)  # both API processes answered
        lines = _records(log)
        assert [line["pid"] for line in lines if line["event"] == "jobs running"] == [process.pid]  # once
        assert published, "the relay (a job) never published the orders' events"
        assert code in (0, -signal.SIGTERM), log.read_text()[-3000:]
        assert [line["pid"] for line in lines if line["event"] == "stopped"].count(process.pid) == 1


def _records(log: Path) -> list[dict[str, Any]]:
    """The log's JSON records. Processes sharing the file may write two records on one line (neither write waits for
    the other's newline), so each line is read record by record."""
    decoder, records = json.JSONDecoder(), []
    for text in log.read_text().splitlines():
        at = 0 if text.startswith("{") else -1
        while 0 <= at < len(text):
            record, end = decoder.raw_decode(text, at)
            records.append(record)
            at = text.find("{", end)
    return records


def _answering(log: Path) -> list[int]:
    """The processes that logged a request, each once."""
    lines = _records(log)
    return list(dict.fromkeys(line["pid"] for line in lines if line.get("event") == "request"))


def _unpublished(hub: Hub) -> int:
    with hub.uow(write=False) as uow:
        return uow.connection.execute(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.published_at.is_(None))).scalar_one()


def _eventually(check: Callable[[], bool], timeout_s: float = 20) -> bool:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("allowed", "client", "secure"), [("127.0.0.1", "203.0.113.7", True),
                                                           ("10.9.9.9", "127.0.0.1", False)])
def test_forwarded_headers_count_only_from_the_allowed_proxies(database_url: str, tmp_path: Path, allowed: str,
                                                                 client: str, secure: bool) -> None:
    with running_hub(database_url) as hub:
        create_user(hub, create_shop(hub, stock=0), login=LOGIN)
        log = tmp_path / "serve.log"
        proxy = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
        with serving(database_url, log, "--forwarded-allow-ips", allowed, log_format="json") as (url, _):
            wrong = httpx2.post(f"{url}/login", data={"login": LOGIN, "password": "not the password"}, headers=proxy)
            right = httpx2.post(f"{url}/login", data={"login": LOGIN, "password": PASSWORD}, headers=proxy)

        assert (wrong.status_code, right.status_code) == (401, 303)
        assert ("; Secure" in right.headers["set-cookie"]) is secure
        assert buckets(hub) == [f"sign-in:{client}"]  # the failure counted against the client, or the proxy
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]  # JSON, every line
        assert {line["path"] for line in lines if line.get("event") == "request"} >= {"/login", "/readyz"}


def buckets(hub: Hub) -> list[str]:
    with hub.uow(write=False) as uow:
        return list(uow.connection.execute(select(RateBucket.key)).scalars())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_log_level_from_the_settings_holds_back_what_is_below_it(database_url: str, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with serving(database_url, log, log_level="WARNING") as (url, _):
        assert httpx2.get(f"{url}/healthz").status_code == 200

    assert "request" not in log.read_text() and "Uvicorn running" not in log.read_text()
