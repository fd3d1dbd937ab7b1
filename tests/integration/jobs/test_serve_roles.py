"""Process roles: `flexhub serve` runs the API with the jobs beside it, `--no-jobs` the API alone."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flexhub.cli import serve
from flexhub.cli.main import app


@pytest.mark.parametrize(("flags", "jobs_running"), [([], True), (["--no-jobs"], False)])
def test_serve_runs_the_jobs_unless_told_not_to(flags: list[str], jobs_running: bool, database_url: str,
                                                 tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXHUB_DATABASE_URL", database_url)
    monkeypatch.setenv("FLEXHUB_SECRET_KEY_FILE", str(tmp_path / "secret.key"))
    seen = {}

    def run_instead(asgi, **_options) -> None:  # type: ignore[no-untyped-def]
        seen["keeper"] = asgi.state.hub.workers.keeper  # the singleton leases are kept only while jobs run

    monkeypatch.setattr(serve.uvicorn, "run", run_instead)
    # Logging stays as the test run has it: configured here, it would write to the runner's stream once closed.
    monkeypatch.setattr(serve.logs, "configure", lambda *_, **__: None)
    result = CliRunner().invoke(app, ["serve", *flags])
    assert result.exit_code == 0, result.output
    assert (seen["keeper"] is not None) is jobs_running
