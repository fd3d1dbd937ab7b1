"""Each log line names the process that wrote it, a forked child its own id (the id is asked of the kernel once per
process, not per line), and carries its time; a logger bound once writes as the configuration of the moment says."""

import io
import json
import logging
import os
import re
from datetime import UTC, datetime, timedelta

import structlog
from structlog.testing import capture_logs

from flexhub.ops import logs


def test_a_line_carries_this_processs_id_and_a_forked_childs_its_own() -> None:
    assert logs._process_id(None, "info", {})["pid"] == os.getpid()
    readable, writable = os.pipe()
    child = os.fork()
    if child == 0:  # the child writes the id its line would carry, and leaves at once
        os.write(writable, str(logs._process_id(None, "info", {})["pid"]).encode())
        os._exit(0)
    os.waitpid(child, 0)
    os.close(writable)

    assert int(os.read(readable, 32)) == child
    os.close(readable)


def test_a_lines_timestamp_is_utc_iso_with_microseconds_as_structlogs_stamper_writes_it() -> None:
    before = datetime.now(UTC)
    stamp = logs._timestamp(None, "info", {})["timestamp"]
    after = datetime.now(UTC)

    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", stamp)
    assert before - timedelta(microseconds=1) <= datetime.fromisoformat(stamp) <= after


def test_a_logger_bound_once_follows_each_configuration_and_a_capture() -> None:
    first, second = io.StringIO(), io.StringIO()
    logger = logs.bound_once("flexhub.test")
    root_handlers, root_level = logging.getLogger().handlers[:], logging.getLogger().level
    try:
        logs.configure("INFO", "json", stream=first)
        logger().info("one")
        logs.configure("INFO", "json", stream=second)
        logger().info("two")
        with capture_logs() as captured:
            logger().info("three")
        logger().info("four")
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers[:], _ = root_handlers, logging.getLogger().setLevel(root_level)

    assert [json.loads(line)["event"] for line in first.getvalue().splitlines()] == ["one"]
    assert [json.loads(line)["event"] for line in second.getvalue().splitlines()] == ["two", "four"]
    assert [line["event"] for line in captured] == ["three"]
