"""structlog set up once per process (`serve`, `worker`, `demo`): JSON lines for a log collector, or a console
layout for a person, at the level the settings name. The standard library's records (uvicorn's, Alembic's) go
through the same renderer, so one process writes one format."""

import json
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

import pydantic_core
import structlog

FORMATS = ("console", "json")


class _Stderr:
    """Standard error as it is when a line is written, not as it was when logging was set up: a test runner swaps
    `sys.stderr` per test and closes the old one."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


STDERR: TextIO = _Stderr()  # type: ignore[assignment]  # write and flush are all a logger asks of a stream


def configure(level: str = "INFO", format: str = "console", stream: TextIO | None = None, *,
              access_log: bool = True) -> None:
    """Set up structlog and the standard library's logging to write to `stream` (standard error). `access_log=False`
    keeps uvicorn's line per request out (`serve` logs each request itself, with its id), whether uvicorn configures
    its loggers before this (a `--workers` process loads its app after) or after."""
    stream = stream or STDERR
    if format not in FORMATS:
        raise ValueError(f"FLEXHUB_LOG_FORMAT must be one of {', '.join(FORMATS)}, not {format!r}")
    numeric = logging.getLevelNamesMapping().get(level.upper())
    if numeric is None:
        raise ValueError(f"FLEXHUB_LOG_LEVEL {level!r} is not a logging level")
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,  # the request id bound per request
        structlog.processors.add_log_level,
        _timestamp,  # as TimeStamper(fmt="iso", utc=True) writes it, a quarter of its cost
        _process_id,  # which of `serve --workers N` processes (or the supervisor running the jobs) wrote it
    ]
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(serializer=_json) if format == "json"
        else structlog.dev.ConsoleRenderer(colors=False))
    structlog.configure(
        processors=[*shared, structlog.processors.StackInfoRenderer(), structlog.processors.format_exc_info,
                    renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.WriteLoggerFactory(stream),  # a line in one write, not print's two
        cache_logger_on_first_use=False,  # so configuring again (a test, a demo after serve) takes effect
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    *([structlog.processors.format_exc_info] if format == "json" else []), renderer]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    logging.getLogger("alembic.runtime.migration").setLevel(max(numeric, logging.WARNING))  # /readyz asks often
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # uvicorn decides per connection whether to write its access line by whether the logger has handlers
    logging.getLogger("uvicorn.access").propagate = access_log


def bound_once(name: str) -> Callable[[], Any]:
    """A logger for a line written per request: bound once per structlog configuration, not per line as a module's
    logger is (`cache_logger_on_first_use=False`, so that configuring again takes effect), which was a third of the
    line's cost. A configuration counts as the same while its processors list, wrapper, logger factory and context
    class are the same objects (structlog.testing.capture_logs changes the list in place: the bound logger holds the
    list, and sees it)."""
    held: list[Any] = [(), None]

    def logger() -> Any:
        config = structlog.get_config()
        now = (config["processors"], config["wrapper_class"], config["logger_factory"], config["context_class"])
        then, bound = held
        if len(then) != len(now) or any(a is not b for a, b in zip(then, now, strict=True)):
            bound = held[1] = structlog.get_logger(name).bind()
            held[0] = now
        return bound

    return logger


class _Second:
    """The date and time of day of the second a line is written in, formatted once a second."""

    stamp: tuple[int, str] = (-1, "")


def _timestamp(_: object, __: str, event: structlog.types.EventDict) -> structlog.types.EventDict:
    """UTC, ISO 8601 with microseconds and `Z`: formatting a datetime per line was a quarter of a line's cost."""
    now = time.time()
    second = int(now)
    held, text = _Second.stamp
    if held != second:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _Second.stamp = (second, text)
    event["timestamp"] = f"{text}.{int((now - second) * 1_000_000):06d}Z"
    return event


def _json(event: structlog.types.EventDict, **_: object) -> str:
    """A line as JSON, by pydantic's serializer (Rust): a third of the standard library's time per request line.
    What it cannot serialize natively is written as its `str`; bytes that are not UTF-8 fall back to the standard
    library, which writes them as `str` too."""
    try:
        return pydantic_core.to_json(event, fallback=str).decode()
    except pydantic_core.PydanticSerializationError:
        return json.dumps(event, default=str)


class _Pid:
    """This process's id, asked of the kernel once and again after a fork: a system call per log line was 2-3 % of an
    API process's samples under load (py-spy)."""

    value = os.getpid()

    @classmethod
    def renew(cls) -> None:
        cls.value = os.getpid()


os.register_at_fork(after_in_child=_Pid.renew)


def _process_id(_: object, __: str, event: structlog.types.EventDict) -> structlog.types.EventDict:
    event.setdefault("pid", _Pid.value)
    return event
