"""bench sync's `failed_jobs` and `job_errors`, read from the worker's log as the worker writes it (ops.logs, the
console format with each traceback after its line): each failure counted by job, and what it raised named."""

import io
import logging
import tempfile
from types import SimpleNamespace

import structlog

from flexhub.bench.sync_roles import Apart
from flexhub.ops import logs


def test_each_failed_job_is_counted_and_what_it_raised_is_named() -> None:
    stream = io.StringIO()
    root_handlers, root_level = logging.getLogger().handlers[:], logging.getLogger().level
    try:
        logs.configure("WARNING", "console", stream=stream)
        log = structlog.get_logger("flexhub.workers.runner")
        for job, error in (("stock-plan", LookupError("deadlock detected")), ("stock-push", TimeoutError("slow")),
                           ("stock-plan", LookupError("deadlock detected")), ("stock-plan", KeyError("sku"))):
            try:
                raise error
            except Exception:
                log.exception("job failed", job=job)
            log.warning("stock push failed", error="ValueError: a warning, not a failed job")
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers[:], _ = root_handlers, logging.getLogger().setLevel(root_level)

    with tempfile.TemporaryFile() as worker_log:
        worker_log.write(stream.getvalue().encode())
        roles = Apart(SimpleNamespace(hub=SimpleNamespace(uow=None)), {}, worker_log)  # type: ignore[arg-type]

        assert roles.failed_jobs() == {"stock-plan": 3, "stock-push": 1}
        assert roles.job_errors() == {"stock-plan": ["LookupError: deadlock detected", "KeyError: 'sku'"],
                                      "stock-push": ["TimeoutError: slow"]}
