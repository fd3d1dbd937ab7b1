"""The protocol `flexhub serve` runs writes an answer of known length in one write, byte for byte what uvicorn's own
protocol writes in two; a streamed answer, a HEAD answer, 100 Continue and a failure after the head are written as
uvicorn writes them."""

import asyncio
from typing import Any

import pytest
from starlette.responses import JSONResponse, Response, StreamingResponse
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from flexhub.api.one_write import OneWriteProtocol

POST = b"POST /api/v1/orders HTTP/1.1\r\nhost: hub\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}"


class Connection:
    """A transport that records each write as a socket's send."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name)

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


async def _json(scope: Any, receive: Any, send: Any) -> None:
    await receive()
    await JSONResponse({"id": "ord-1", "status": "reserved"}, status_code=201)(scope, receive, send)


async def _streamed(scope: Any, receive: Any, send: Any) -> None:
    async def parts() -> Any:
        yield b"a,b\n"
        yield b"1,2\n"

    await StreamingResponse(parts(), media_type="text/csv")(scope, receive, send)


async def _empty(scope: Any, receive: Any, send: Any) -> None:
    await Response(status_code=204)(scope, receive, send)


async def _failing_after_head(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"5")]})
    raise RuntimeError("the body never came")


def _served(protocol_class: type[HttpToolsProtocol], app: Any, *requests: bytes) -> Connection:
    """What `protocol_class` writes to a connection answering `requests` with `app`."""

    async def serve() -> Connection:
        config = Config(app=app, http=protocol_class, log_level="critical")
        config.load()
        state = ServerState()
        protocol = protocol_class(config=config, server_state=state, app_state={})
        connection = Connection()
        protocol.connection_made(connection)  # type: ignore[arg-type]
        for request in requests:
            protocol.data_received(request)
            while state.tasks:
                await asyncio.gather(*state.tasks, return_exceptions=True)
        if protocol.timeout_keep_alive_task:
            protocol.timeout_keep_alive_task.cancel()
        return connection

    return asyncio.run(serve())


def test_an_answer_of_known_length_is_one_write_of_what_uvicorn_writes_in_two() -> None:
    uvicorns = _served(HttpToolsProtocol, _json, POST)
    ours = _served(OneWriteProtocol, _json, POST)

    assert len(uvicorns.writes) == 2 and uvicorns.writes[1] == b'{"id":"ord-1","status":"reserved"}'
    assert ours.writes == [b"".join(uvicorns.writes)]
    assert ours.writes[0].startswith(b"HTTP/1.1 201 Created\r\n")


def test_each_answer_on_a_kept_alive_connection_is_one_write() -> None:
    ours = _served(OneWriteProtocol, _json, POST, POST, POST)

    assert len(ours.writes) == 3 and len(set(ours.writes)) == 1 and not ours.closed


def test_pipelined_requests_are_each_one_write() -> None:
    ours = _served(OneWriteProtocol, _json, POST * 3)

    assert ours.writes == _served(OneWriteProtocol, _json, POST, POST, POST).writes


@pytest.mark.parametrize(("app", "request_bytes"), [
    (_streamed, b"GET /orders.csv HTTP/1.1\r\nhost: hub\r\n\r\n"),
    (_json, b"HEAD /api/v1/orders HTTP/1.1\r\nhost: hub\r\n\r\n"),
    (_empty, b"DELETE /api/v1/filters/1 HTTP/1.1\r\nhost: hub\r\n\r\n"),
    (_json, b"POST /api/v1/orders HTTP/1.1\r\nhost: hub\r\nexpect: 100-continue\r\ncontent-length: 2\r\n\r\n{}"),
], ids=["streamed", "head", "no-content", "100-continue"])
def test_other_answers_are_written_as_uvicorn_writes_them(app: Any, request_bytes: bytes) -> None:
    uvicorns = _served(HttpToolsProtocol, app, request_bytes)
    ours = _served(OneWriteProtocol, app, request_bytes)

    assert b"".join(ours.writes) == b"".join(uvicorns.writes) and ours.writes[0].startswith(b"HTTP/1.1 ")
    if app is _streamed:  # the head goes out before the first part, as it did
        assert ours.writes[0].endswith(b"\r\n\r\n") and ours.writes == uvicorns.writes


def test_an_answer_failing_after_its_head_closes_the_connection_with_nothing_half_sent() -> None:
    ours = _served(OneWriteProtocol, _failing_after_head, POST)

    assert ours.writes == [] and ours.closed
