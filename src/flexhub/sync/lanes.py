"""Stock pushes in lanes: each channel's turns run back to back on a thread of its own.

A turn of every channel side by side, the next only once all are done (`StockPusher.run_once`), makes every
channel wait for the slowest: a store taking one figure a call spends its whole turn's budget, a bulk platform's
turn is over in one call and then idles. Channels are separate hosts with separate limits, so each gets a lane
that reads its own due figures and sends them, and starts its next turn as soon as it confirmed any. The push job
(`run_once`) wakes the lane of every channel with something due; a lane with nothing to send sleeps until woken.
Lanes run only while the pusher holds the stock-push lease (`holds_lease`, checked before every turn and by the
pusher before every send).
"""

import threading
import uuid
from collections.abc import Callable

import structlog

from flexhub.sync.push import StockPusher

log = structlog.get_logger(__name__)
IDLE_S = 5.0  # a lane not woken in this long looks for work anyway


class PushLanes:
    def __init__(self, pusher: StockPusher) -> None:
        self._pusher = pusher
        self._lanes: dict[uuid.UUID, _Lane] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def run_once(self) -> int:
        """Wake the lane of every channel with a figure due or a feed open, starting those not running yet;
        how many were woken."""
        if self._stop.is_set():
            return 0
        due = self._pusher.channels_due()
        for channel_id in due:
            self._lane(channel_id).wake.set()
        return len(due)

    def lanes(self) -> set[uuid.UUID]:
        with self._lock:
            return set(self._lanes)

    def close(self, timeout_s: float = 10.0) -> None:
        """Stop every lane after its turn under way."""
        self._stop.set()
        with self._lock:
            lanes = list(self._lanes.values())
        for lane in lanes:
            lane.wake.set()
        for lane in lanes:
            lane.thread.join(timeout_s)

    def _lane(self, channel_id: uuid.UUID) -> "_Lane":
        with self._lock:
            if channel_id not in self._lanes:
                self._lanes[channel_id] = _Lane(channel_id, self._turns)
            return self._lanes[channel_id]

    def _turns(self, channel_id: uuid.UUID, wake: threading.Event) -> None:
        """A lane's life: a turn after another while each confirms something, then asleep until woken."""
        while not self._stop.is_set():
            wake.wait(IDLE_S)
            wake.clear()
            while not self._stop.is_set() and self._pusher.holds_lease():
                try:
                    confirmed = self._pusher.push_channel(channel_id)
                except Exception:
                    log.exception("stock push turn failed", channel_id=str(channel_id))
                    break
                if not confirmed:  # nothing due, or nothing went: the next wake-up or IDLE_S
                    break


class _Lane:
    def __init__(self, channel_id: uuid.UUID, turns: Callable[[uuid.UUID, threading.Event], None]) -> None:
        self.wake = threading.Event()
        self.thread = threading.Thread(target=turns, args=(channel_id, self.wake), daemon=True,
                                       name=f"stock-lane-{str(channel_id)[-6:]}")
        self.thread.start()
