"""The same load as `client.post_all` (or `client.post_each`), sent by wrk (Debian's package) when it is installed:
one wrk thread per connection, each posting its share of the requests (connection i: requests i, i + C, …) one at a
time.

A Lua script reads the thread's requests from a file made for it, a line each: the path, the headers that differ
from one request to the next as name and value, and the body, separated by tabs (the headers every request shares
are the script's own). It times each request itself (CLOCK_MONOTONIC through LuaJIT's FFI, from the request made
to its answer read) and writes a line per answer, `<status> <µs>`, then `end <first sent µs> <last answered µs>`,
to a file of its own; the thread stops once its share is answered. The figures come from those files, not from
wrk's summary: its latencies are corrected for coordinated omission and its duration is the whole `--duration`.
Once every thread has ended, wrk is stopped.
"""

import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from string import Template

from flexhub.bench.http.client import Posted, Run, as_posted

LIMIT_S = 600  # wrk's --duration: a load not done by then is stopped and refused
PROGRESS_INTERVAL_S = 0.1
SCRIPT = Template("""-- flexhub bench http (flexhub/bench/http/wrk.py): made for one run
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } flexhub_timespec;
int clock_gettime(int clock_id, flexhub_timespec *tp);
]]
local clock = ffi.new("flexhub_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock)  -- CLOCK_MONOTONIC, as Python's time.monotonic
  return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

local DIRECTORY = $directory
wrk.method = "POST"
$headers

local numbered = 0
function setup(thread)
  thread:set("id", numbered)
  numbered = numbered + 1
end

-- A line's tab-separated fields: the path, name and value of each header of its own, the body.
local function fields_of(line)
  local fields, start = {}, 1
  while true do
    local stop = string.find(line, "\t", start, true)
    if stop == nil then
      fields[#fields + 1] = string.sub(line, start)
      return fields
    end
    fields[#fields + 1] = string.sub(line, start, stop - 1)
    start = stop + 1
  end
end

local requests, answered, first, sent_at, out
function init(args)
  requests, answered = {}, 0
  for line in io.lines(string.format("%s/requests-%03d.txt", DIRECTORY, id)) do
    local fields, headers = fields_of(line), nil
    if #fields > 2 then
      headers = {}
      for name, value in pairs(wrk.headers) do headers[name] = value end
      for k = 2, #fields - 2, 2 do headers[fields[k]] = fields[k + 1] end
    end
    requests[#requests + 1] = wrk.format(nil, fields[1], headers, fields[#fields])
  end
  out = io.open(string.format("%s/answers-%03d.txt", DIRECTORY, id), "w")
end

-- The next request is the one after those answered: one wrk sends again after a reconnect is the same order
-- (a replay), and wrk's own trial call before the run sends nothing.
function request()
  sent_at = now_us()
  return requests[answered + 1]
end

function response(status, headers, body)
  local answered_at = now_us()
  if first == nil then first = sent_at end
  answered = answered + 1
  out:write(status, " ", answered_at - sent_at, "\\n")
  if answered >= #requests then
    out:write("end ", first, " ", answered_at, "\\n")
    out:close()
    wrk.thread:stop()
  else
    if answered % 64 == 0 then out:flush() end
  end
end
""")


def find_wrk() -> str | None:
    return shutil.which("wrk")


def post_all_wrk(port: int, path: str, bodies: list[dict], headers: dict[str, str], connections: int,
                 progress: Callable[[int], None] = lambda _: None) -> Run:
    """POST each body once to 127.0.0.1:`port` with wrk, `connections` at a time."""
    return post_each_wrk(port, as_posted(path, bodies, headers), connections, progress)


def post_each_wrk(port: int, posts: list[Posted], connections: int,
                  progress: Callable[[int], None] = lambda _: None) -> Run:
    """POST each prepared request once to 127.0.0.1:`port` with wrk, `connections` at a time."""
    program = find_wrk()
    if program is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk, or make wrk)")
    threads = min(connections, len(posts))
    shared = _shared_headers(posts)
    with tempfile.TemporaryDirectory(prefix="flexhub-wrk-") as folder:
        directory = Path(folder)
        for n in range(threads):
            lines = (_line(post, shared) for post in posts[n::threads])
            (directory / f"requests-{n:03d}.txt").write_bytes(b"\n".join(lines) + b"\n")
        script = directory / "requests.lua"
        script.write_text(lua_script(directory, shared))
        command = [program, "--threads", str(threads), "--connections", str(threads), "--duration", f"{LIMIT_S}s",
                   "--timeout", f"{LIMIT_S}s", "--script", str(script), f"http://127.0.0.1:{port}/"]
        with (directory / "wrk.log").open("wb") as log:
            popen = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            _follow(popen, directory, threads, progress)
        finally:
            _stop(popen)
        return _run(directory)


def _shared_headers(posts: list[Posted]) -> dict[str, str]:
    """The headers every request carries with the same value: the script's own, not repeated on each line."""
    shared = dict(posts[0].headers) if posts else {}
    for post in posts[1:]:
        shared = {name: value for name, value in shared.items() if post.headers.get(name) == value}
    return shared


def _line(post: Posted, shared: dict[str, str]) -> bytes:
    own = [field for name, value in post.headers.items() if name not in shared for field in (name, value)]
    fields = [post.path.encode(), *(field.encode() for field in own)]
    if any(mark in field for field in (*fields, post.body) for mark in (b"\t", b"\n", b"\r")):
        raise ValueError("wrk's request lines carry no tab or line break in a path, header or body")
    return b"\t".join((*fields, post.body))


def lua_script(directory: Path, headers: dict[str, str]) -> str:
    lines = "\n".join(f"wrk.headers[{_lua(name)}] = {_lua(value)}" for name, value in headers.items())
    return SCRIPT.substitute(directory=_lua(str(directory)), headers=lines)


def _lua(text: str) -> str:
    """A Lua string literal: every byte but ASCII letters, digits and a few marks as a decimal escape."""
    plain = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.,:;/@+=")
    return '"' + "".join(chr(b) if chr(b) in plain else f"\\{b:03d}" for b in text.encode()) + '"'


def _follow(popen: subprocess.Popen[bytes], directory: Path, threads: int, progress: Callable[[int], None]) -> None:
    deadline = time.monotonic() + LIMIT_S + 10
    tally = _Tally(directory)
    while True:
        answered, ended = tally.read()
        progress(answered)
        if ended == threads:
            return
        if popen.poll() is not None or time.monotonic() > deadline:
            log = (directory / "wrk.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"wrk stopped with {ended} of {threads} connections done, {answered} answers: {log}")
        time.sleep(PROGRESS_INTERVAL_S)


class _Tally:
    """Answers and ended threads so far, reading only what each file gained since the last look."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._read: dict[Path, int] = {}
        self.answered = self.ended = 0

    def read(self) -> tuple[int, int]:
        for file in self._directory.glob("answers-*.txt"):
            with file.open("rb") as opened:
                opened.seek(self._read.get(file, 0))
                new = opened.read()
            self._read[file] = self._read.get(file, 0) + len(new)
            done = b"end " in new
            self.answered += new.count(b"\n") - done
            self.ended += done
        return self.answered, self.ended


def _stop(popen: subprocess.Popen[bytes]) -> None:
    """SIGINT ends wrk's wait for --duration (its threads have stopped by then); SIGKILL if it lingers."""
    if popen.poll() is None:
        popen.send_signal(signal.SIGINT)
    try:
        popen.wait(10)
    except subprocess.TimeoutExpired:
        popen.kill()
        popen.wait()


def _run(directory: Path) -> Run:
    run, first, last = Run(), [], []
    for file in sorted(directory.glob("answers-*.txt")):
        for line in file.read_text().splitlines():
            head, *figures = line.split()
            if head == "end":
                first.append(int(figures[0]))
                last.append(int(figures[1]))
                continue
            run.statuses[int(head)] += 1
            run.latencies.append(int(figures[0]) / 1e6)
    run.seconds = (max(last) - min(first)) / 1e6 if first else 0.0
    return run
