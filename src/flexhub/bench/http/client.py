"""A load client light enough to share two cores with the server it measures: C coroutines, each on one
keep-alive HTTP/1.1 connection, posting prepared bytes until N requests are answered. Every answer's status and
latency is kept. `post_all` posts JSON bodies to one path with the same headers; `post_each` posts prepared
requests, each with its own path and headers (signed webhooks: a signature per body)."""

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Posted:
    """One request to post: its path, its own headers and its body as sent."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0


def post_all(port: int, path: str, bodies: list[dict], headers: dict[str, str], connections: int,
             progress: Callable[[int], None] = lambda _: None) -> Run:
    """POST each body once to 127.0.0.1:`port`, `connections` at a time."""
    return post_each(port, as_posted(path, bodies, headers), connections, progress)


def post_each(port: int, posts: list[Posted], connections: int,
              progress: Callable[[int], None] = lambda _: None) -> Run:
    """POST each prepared request once to 127.0.0.1:`port`, `connections` at a time."""
    requests = [_request(port, post) for post in posts]
    return asyncio.run(_post_all(port, requests, connections, progress))


def as_posted(path: str, bodies: list[dict], headers: dict[str, str]) -> list[Posted]:
    """JSON bodies to one path, each with the same headers."""
    return [Posted(path, {"content-type": "application/json", **headers}, json.dumps(body).encode())
            for body in bodies]


def _request(port: int, post: Posted) -> bytes:
    head = "".join(f"{name}: {value}\r\n" for name, value in post.headers.items())
    return (f"POST {post.path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\n{head}"
            f"content-length: {len(post.body)}\r\n\r\n").encode() + post.body


async def _post_all(port: int, requests: list[bytes], connections: int, progress: Callable[[int], None]) -> Run:
    run, pending = Run(), iter(requests)

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for request in pending:
                started = time.perf_counter()
                writer.write(request)
                status = await _answer(reader)
                run.latencies.append(time.perf_counter() - started)
                run.statuses[status] += 1
        finally:
            writer.close()

    async def reporter() -> None:
        while True:
            progress(len(run.latencies))
            await asyncio.sleep(0.1)

    shown = asyncio.create_task(reporter())
    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    run.seconds = time.perf_counter() - started
    shown.cancel()
    progress(len(run.latencies))
    return run


async def _answer(reader: asyncio.StreamReader) -> int:
    """Read one answer (its head, then the body its content-length names) and give its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in lines[1:] if line.lower().startswith(b"content-length:")),
                  0)
    if length:
        await reader.readexactly(length)
    return int(lines[0].split(b" ", 2)[1])
