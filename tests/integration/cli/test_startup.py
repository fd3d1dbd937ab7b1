"""`flexhub serve` and `flexhub worker` refuse to start off SQLite without FLEXHUB_SECRET_KEY: each process would
otherwise write a key file of its own and could not open the credentials another sealed. A setting with a value it
cannot take (a log format or level) is named, and the process does not start either."""

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


@pytest.mark.parametrize(("setting", "value", "said"), [("LOG_FORMAT", "xml", "Input should be 'console' or 'json'"),
                                                         ("LOG_LEVEL", "loud", "'loud' is not a logging level")])
def test_a_bad_log_setting_is_named_and_the_process_does_not_start(setting: str, value: str, said: str) -> None:
    env = {**os.environ, f"FLEXHUB_{setting}": value, "FLEXHUB_DATABASE_URL": "sqlite:///:memory:"}

    done = subprocess.run([sys.executable, "-m", "flexhub.cli.main", "worker"], env=env, capture_output=True,
                          text=True, timeout=60)

    assert done.returncode == 2, done.stderr
    assert f"FLEXHUB_{setting}: " in done.stderr and said in done.stderr and "Traceback" not in done.stderr
