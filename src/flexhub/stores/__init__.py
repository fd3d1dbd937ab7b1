"""Stores in the WeChat ecosystem: a QR code per SKU per store opening a shopper's page (product, price, the store's
and the network's stock, the delivery promise), shelf prices, store sales (take now, pick up later, ship from the
network), the staff page and stock balancing between stores."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)
