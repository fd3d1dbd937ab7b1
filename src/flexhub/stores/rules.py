"""Store sales' decisions, pure: lines grouped by how they are fulfilled, the payment's total after a coupon and
points, and that total's discount shared between the sale's orders to the unit."""

from flexhub.members.rules import POINT_VALUE, spendable
from flexhub.stores.errors import InvalidSale, NotRefundable

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


def most_points(balance: int, subtotal: int) -> int:
    """The most of a member's `balance` of points a cart of `subtotal` may take (before any coupon)."""
    return spendable(balance, subtotal)


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


def mode_weights(lines: list[dict]) -> tuple[list[str], list[int]]:
    """The sale's ways in order (MODES) and what each one's lines cost: how discounts and points were shared."""
    modes = [mode for mode in MODES if any(line["mode"] == mode for line in lines)]
    return modes, [sum(line["quantity"] * line["unit_price"] for line in lines if line["mode"] == mode)
                   for mode in modes]


def points_by_mode(points: int, lines: list[dict]) -> dict[str, int]:
    """The points a sale spent, shared between its orders as its discount was: they sum to `points` exactly."""
    modes, weights = mode_weights(lines)
    return dict(zip(modes, shares(points, weights), strict=True))


# How a refunded order is undone, from where it is: not handed over yet, its stock is let go where it is held;
# handed over at the store, the goods come back at the counter; shipped, they come back by post (a return to receive).
UNSHIPPED = frozenset({"received", "reserved", "awaiting_stock", "routed", "picking", "on_hold", "exception"})
HANDED_OVER = frozenset({"shipped", "partially_shipped", "delivered"})


def undoing(mode: str, status: str) -> str:
    if status in UNSHIPPED:
        return "cancel"
    if status in HANDED_OVER:
        return "return_here" if mode in ("take", "pickup") else "return_by_post"
    raise NotRefundable(f"an order that is {status} cannot be refunded now: it is in a parcel or closed",
                        status=status)
