"""`flexhub serve` and `flexhub worker` refuse to start off SQLite without FLEXHUB_SECRET_KEY: each process would
otherwise write a key file of its own and could not open the credentials another sealed."""

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("command", [["worker"], ["serve", "--port", "0"]])
def test_off_sqlite_a_process_without_the_secret_key_refuses_to_start(command: list[str]) -> None:
    env = {key: value for key, value in os.environ.items() if key != "FLEXHUB_SECRET_KEY"}
    env["FLEXHUB_DATABASE_URL"] = "postgresql://postgres@127.0.0.1:5432/postgres"

    done = subprocess.run([sys.executable, "-m", "flexhub.cli.main", *command], env=env, capture_output=True,
                          text=True, timeout=60)

    assert done.returncode == 2, done.stderr
    assert "FLEXHUB_SECRET_KEY is required" in done.stderr
