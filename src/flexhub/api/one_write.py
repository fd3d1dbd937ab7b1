"""uvicorn's HTTP protocol (httptools) sending an answer of known length in one write: its status line and headers
are held until its body and written with it. uvicorn writes them apart, and on this box each write is a send through
the kernel's loopback: the two sends per answer were a third of an API process's samples under load (py-spy, POST
/api/v1/orders, docs/benchmarks.md).

An answer is held only when nothing is lost by waiting for its body: it gives its content-length (so its first body
message is written at once and whole) and is not to a HEAD request (whose body uvicorn never writes). A streamed
answer (chunked) and anything uvicorn writes itself (100 Continue, its own 400 and 500 answers) are written as
uvicorn writes them. `flexhub serve` runs it (`--http`'s place in uvicorn's options)."""

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle


class OneWriteProtocol(HttpToolsProtocol):
    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        cycle.__class__ = OneWriteCycle  # every request's cycle, pipelined ones too, starts here
        super()._start_asgi_task(cycle, app)


class OneWriteCycle(RequestResponseCycle):
    head: bytes | None = None  # the status line and headers, held until the body's write

    async def send(self, message: Any) -> None:
        if message["type"] == "http.response.start" and not self.response_started:
            await self._hold_head(message)
        elif message["type"] == "http.response.body" and self.head is not None:
            head, self.head = self.head, None
            await self._sent_through(_Prefixed(self.transport, head), message)
        else:
            await super().send(message)

    async def _hold_head(self, message: Any) -> None:
        kept = _Kept(self.transport)
        await self._sent_through(kept, message)
        if kept.data and self.chunked_encoding is False and self.scope["method"] != "HEAD":
            self.head = kept.data
        elif kept.data:
            self.transport.write(kept.data)

    async def _sent_through(self, transport: Any, message: Any) -> None:
        """uvicorn's send of `message`, its writes going to `transport`."""
        connection, self.transport = self.transport, transport
        try:
            await super().send(message)
        finally:
            self.transport = connection


class _Kept:
    """The connection as a send sees it, keeping what it writes."""

    def __init__(self, transport: Any) -> None:
        self.transport = transport
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


class _Prefixed:
    """The connection as a send sees it, its first write preceded by `head`."""

    def __init__(self, transport: Any, head: bytes) -> None:
        self.transport = transport
        self.head = head

    def write(self, data: bytes) -> None:
        head, self.head = self.head, b""
        self.transport.write(head + data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)
