"""A request's body read whole by a lane ahead of the app, and its messages replayed to the app when the lane leaves
the request to it (the size limit is RequestLimits', outside the lanes)."""

from starlette.types import Message, Receive


async def read_whole(receive: Receive) -> tuple[list[Message], bytes]:
    """The request's messages and the body they carry; the last message is `http.disconnect` if the client left."""
    messages = [await receive()]
    while messages[-1]["type"] == "http.request" and messages[-1].get("more_body", False):
        messages.append(await receive())
    return messages, b"".join(message.get("body", b"") for message in messages)


def replaying(messages: list[Message], receive: Receive) -> Receive:
    """A receive that gives the messages read already, then what the client sends next."""
    pending = iter(messages)

    async def replay() -> Message:
        return next(pending, None) or await receive()

    return replay
