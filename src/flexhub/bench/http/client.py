"""A load client light enough to share two cores with the server it measures: C coroutines, each on one
keep-alive HTTP/1.1 connection, posting prepared bytes until N requests are answered. Every answer's status and
latency is kept."""

import asyncio
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0


def post_all(port: int, path: str, bodies: list[dict], headers: dict[str, str], connections: int,
             progress: Callable[[int], None] = lambda _: None) -> Run:
    """POST each body once to 127.0.0.1:`port`, `connections` at a time."""
    requests = [_request(port, path, body, headers) for body in bodies]
    return asyncio.run(_post_all(port, requests, connections, progress))


def _request(port: int, path: str, body: dict, headers: dict[str, str]) -> bytes:
    payload = json.dumps(body).encode()
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return (f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\ncontent-type: application/json\r\n{head}"
            f"content-length: {len(payload)}\r\n\r\n").encode() + payload


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
