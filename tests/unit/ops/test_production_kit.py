"""The production kit: compose.yaml checked by `docker compose config` where docker runs, and read as YAML
everywhere for what it must hold (services, commands, environment); the Dockerfile's essentials."""

import shutil
import subprocess
from pathlib import Path

import yaml

from flexhub.cli.connections import may_open
from flexhub.settings import Settings

ROOT = Path(__file__).resolve().parents[3]


def _docker_compose_usable() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0


def _docker_compose_config(tmp_path: Path) -> None:
    shutil.copy(ROOT / "compose.yaml", tmp_path / "compose.yaml")
    (tmp_path / "flexhub.env").write_text("FLEXHUB_SECRET_KEY=test\n")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    checked = subprocess.run(["docker", "compose", "config", "--quiet"], cwd=tmp_path, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_compose_holds_the_production_topology(tmp_path):
    if _docker_compose_usable():  # docker's own check where it runs; the reading below runs everywhere
        _docker_compose_config(tmp_path)
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "nats", "migrate", "api", "worker"}
    assert "--jetstream" in services["nats"]["command"]
    assert services["migrate"]["command"] == ["db", "upgrade"] and services["migrate"]["restart"] == "no"
    assert services["api"]["command"][0] == "serve" and "--no-jobs" in services["api"]["command"]
    assert services["api"]["deploy"]["replicas"] == 2
    assert services["worker"]["command"] == ["worker"] and services["worker"]["deploy"]["replicas"] == 1
    for name in ("migrate", "api", "worker"):
        service = services[name]
        assert service["env_file"] == "flexhub.env"  # FLEXHUB_SECRET_KEY, the same in every container
        environment = service["environment"]
        assert environment["FLEXHUB_DATABASE_URL"].startswith("postgresql://")
        assert environment["FLEXHUB_EVENT_TRANSPORT"] == "nats" and environment["FLEXHUB_NATS_URL"]
    for name in ("api", "worker"):  # both wait for the schema
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert _connections_fit(services)
    example = (ROOT / "flexhub.env.example").read_text()
    assert "FLEXHUB_SECRET_KEY=" in example and "flexhub.env" in (ROOT / ".gitignore").read_text()


def _connections_fit(services: dict) -> bool:
    """Every api and worker replica's pools full fit in the server's max_connections, less the superusers' three."""
    [setting] = [part for part in services["postgres"]["command"] if part.startswith("max_connections=")]
    settings = Settings(**{name.removeprefix("FLEXHUB_").lower(): value
                           for name, value in services["api"]["environment"].items()})
    replicas = {name: services[name]["deploy"]["replicas"] for name in ("api", "worker")}
    wanted = (replicas["api"] * may_open(settings, hubs=1, listens=False)
              + replicas["worker"] * may_open(settings, hubs=1, listens=True))
    return wanted <= int(setting.removeprefix("max_connections=")) - 3


def test_the_image_runs_flexhub_as_a_user_checked_on_readyz():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    assert 'pip install ".[postgres,nats]"' in dockerfile
    assert "\nUSER flexhub\n" in dockerfile and "useradd" in dockerfile
    assert "HEALTHCHECK" in dockerfile and "/readyz" in dockerfile
    assert 'ENTRYPOINT ["flexhub"]' in dockerfile
