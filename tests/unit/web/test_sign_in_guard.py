"""One client address failing too many sign-ins waits until its oldest failure leaves the window."""

from flexhub.web.sign_in_guard import SignInGuard


class Ticking:
    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


def test_an_address_is_held_back_after_its_failures_until_the_oldest_ages_out() -> None:
    clock = Ticking()
    guard = SignInGuard(max_failures=3, window_s=60, now=clock)
    for _ in range(2):
        guard.failed("10.0.0.7")
        clock.at += 10
    assert guard.blocked_for_s("10.0.0.7") == 0

    guard.failed("10.0.0.7")

    assert guard.blocked_for_s("10.0.0.7") == 40  # the first failure, at 1000, leaves the window at 1060
    assert guard.blocked_for_s("10.0.0.8") == 0  # another address is not held back
    clock.at = 1060
    assert guard.blocked_for_s("10.0.0.7") == 0
