"""Identity: tenants (brands), partners, API keys and roles, and the audit log of every write."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)
