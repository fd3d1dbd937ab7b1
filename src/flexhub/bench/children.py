"""The processes a benchmark starts (servers, workers): stopped as an orchestrator would stop them."""

import subprocess


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, 30 s to drain and exit, then SIGKILL."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
