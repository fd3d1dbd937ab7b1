"""NATS for tests: the machine's server on 127.0.0.1:4222, and three-node JetStream clusters on loopback ports
started from the machine's `nats-server`, each node with its own store under a temporary directory."""

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from flexhub.testing.database import running_in_ci

if TYPE_CHECKING:
    from flexhub.bus.nats_transport import NatsTransport

LOCAL_URL = "nats://127.0.0.1:4222"


def reachable(host: str = "127.0.0.1", port: int = 4222) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


def require_local_nats() -> str:
    """The machine's NATS, which must be there under CI (a skip elsewhere)."""
    if not reachable():
        if running_in_ci():
            pytest.fail("NATS is not reachable on 127.0.0.1:4222, and CI=true: NATS tests must run in CI")
        pytest.skip("no NATS server on 127.0.0.1:4222")
    return LOCAL_URL


def server_binary() -> str:
    found = shutil.which("nats-server") or ("/usr/sbin/nats-server" if Path("/usr/sbin/nats-server").exists() else None)
    if found is None:
        if running_in_ci():
            pytest.fail("nats-server is not installed, and CI=true: the cluster tests must run in CI")
        pytest.skip("nats-server is not installed")
    return found


def unique_names() -> tuple[str, str]:
    """A stream and a subject prefix of its own, so parallel runs never see each other's events."""
    name = f"FLEXHUB_TEST_{uuid.uuid4().hex[:8].upper()}"
    return name, name.lower()


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


@dataclass
class Node:
    name: str
    client_port: int
    cluster_port: int
    store: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.client_port}"


@dataclass
class Cluster:
    nodes: list[Node]
    binary: str
    routes: str = field(default="")

    @property
    def url(self) -> str:
        return ",".join(node.url for node in self.nodes)

    def start(self, node: Node) -> None:
        node.process = subprocess.Popen(
            [self.binary, "-a", "127.0.0.1", "-p", str(node.client_port), "-n", node.name, "-js", "-sd",
             str(node.store), "--cluster_name", "flexhub-test", "-cluster", f"nats://127.0.0.1:{node.cluster_port}",
             "-routes", self.routes],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill(self, node: Node) -> None:
        assert node.process is not None
        node.process.kill()
        node.process.wait(10)

    def stop(self) -> None:
        for node in self.nodes:
            if node.process is not None and node.process.poll() is None:
                node.process.terminate()
        for node in self.nodes:
            if node.process is not None:
                try:
                    node.process.wait(10)
                except subprocess.TimeoutExpired:
                    node.process.kill()


@contextmanager
def cluster(directory: Path, size: int = 3) -> Iterator[Cluster]:
    """`size` JetStream nodes routed to each other on loopback; yields once every node answers."""
    ports = _free_ports(size * 2)
    nodes = [Node(f"n{i + 1}", ports[2 * i], ports[2 * i + 1], directory / f"n{i + 1}") for i in range(size)]
    formed = Cluster(nodes, server_binary(), ",".join(f"nats://127.0.0.1:{node.cluster_port}" for node in nodes))
    try:
        for node in nodes:
            formed.start(node)
        deadline = time.monotonic() + 20
        while not all(reachable(port=node.client_port) for node in nodes):
            if time.monotonic() > deadline:
                raise RuntimeError("the NATS cluster did not come up in 20 s")
            time.sleep(0.1)
        yield formed
    finally:
        formed.stop()


def connect_when_ready(url: str, ready_within_s: float = 60.0, **options: Any) -> "NatsTransport":
    """A NatsTransport once JetStream answers: a new cluster elects its meta leader before it takes streams."""
    from flexhub.bus.nats_transport import NatsTransport

    deadline = time.monotonic() + ready_within_s
    while True:
        try:
            return NatsTransport(url, **options)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
