"""Each log line names the process that wrote it, a forked child its own id (the id is asked of the kernel once per
process, not per line)."""

import os

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
