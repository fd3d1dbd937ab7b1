"""Running pgbench: where it is, its command line for a script on a database, the tps it printed."""

import glob
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url


def find_pgbench() -> str | None:
    """Debian keeps it under /usr/lib/postgresql/<version>/bin; elsewhere it is on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"), key=_version)
    return found[-1] if found else shutil.which("pgbench")


@contextmanager
def script_file(script: str) -> Iterator[str]:
    with tempfile.NamedTemporaryFile("w", suffix=".sql", prefix="flexhub-pgbench-") as file:
        file.write(script)
        file.flush()
        yield file.name


def pgbench_command(program: str, url: str, script_path: str, clients: int, seconds: float,
                    options: Sequence[str] = ()) -> tuple[list[str], dict[str, str]]:
    """pgbench's command line for a script on the database `url` names, and its environment (the password)."""
    parsed = make_url(url)
    environment = {**os.environ, "PGPASSWORD": parsed.password or os.environ.get("PGPASSWORD", "")}
    return [
        program, "--no-vacuum", "--client", str(clients), "--jobs", str(min(2, clients)),
        "--time", str(max(1, round(seconds))), "--file", script_path, *options,
        "--host", parsed.host or "localhost", "--port", str(parsed.port or 5432),
        "--username", parsed.username or "postgres", parsed.database or "postgres",
    ], environment


def tps_of(output: str) -> float:
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", output)
    if match is None:
        raise RuntimeError(f"pgbench printed no tps: {output.strip()[-500:]}")
    return round(float(match.group(1)), 1)


def _version(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", Path(path).parts[-3]))
