"""Members: one shopper across every channel (phone, WeChat ids, each platform's buyer id), their orders from every
channel, points earned on paid orders and spent at checkout, coupons redeemable online and offline, and tiers."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)
