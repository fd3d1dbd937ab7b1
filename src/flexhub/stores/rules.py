"""Store sales' decisions, pure: lines grouped by how they are fulfilled, the payment's total after a coupon and
points, and that total's discount shared between the sale's orders to the unit."""

from flexhub.members.rules import POINT_VALUE
from flexhub.stores.errors import InvalidSale

MODES = ("take", "pickup", "ship")
SUFFIX = {"take": "T", "pickup": "P", "ship": "S"}  # an order's external id: the sale's number and its way


def check_modes(modes: list[str], *, ship_to: bool) -> None:
    unknown = sorted(set(modes) - set(MODES))
    if unknown:
        raise InvalidSale(f"a line is taken now, picked up later or shipped: {', '.join(MODES)}", modes=unknown)
    if "ship" in modes and not ship_to:
        raise InvalidSale("lines to ship need an address to ship to")


def total(subtotal: int, coupon_off: int, points: int) -> int:
    after = subtotal - coupon_off - points * POINT_VALUE
    if after < 0:
        raise InvalidSale("the coupon and the points take off more than the sale costs",
                          subtotal=subtotal, coupon=coupon_off, points=points)
    return after


def shares(amount: int, weights: list[int]) -> list[int]:
    """`amount` split in proportion to `weights` (largest remainders), summing to it exactly."""
    whole = sum(weights)
    if whole == 0 or amount == 0:
        return [0] * len(weights)
    raw = [amount * w for w in weights]
    parts = [r // whole for r in raw]
    for i in sorted(range(len(weights)), key=lambda i: -(raw[i] % whole))[:amount - sum(parts)]:
        parts[i] += 1
    return parts
