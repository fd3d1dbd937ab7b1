"""A channel's pace that notes each take in a shared list beside the calls a fake platform notes, so a test sees
that every call waited for the pace just before it left, without timing anything."""


class RecordedPace:
    """A Bucket that always has a token and writes "pace" to `events` each time one is taken."""

    rate = 1.0

    def __init__(self, events: list[str]) -> None:
        self._events = events

    def take(self, tokens: int = 1) -> bool:
        self._events.append("pace")
        return True

    def take_up_to(self, tokens: int) -> int:
        self._events.append("pace")
        return tokens

    def give_back(self, tokens: int) -> None:
        pass

    def tokens(self) -> float:
        return 1.0

    def spent(self) -> float:
        return 0.0
