"""The brand's ERP: connections to Odoo, ERPNext or Kingdee (connectors found through the `flexhub.erp` entry
points), orders, deliveries, credit notes, stock moves and settlement journals sent out once each from the outbox
through the job queue, and products, suppliers, purchase orders (and later edits of them) and costs polled in with
a persisted cursor; what fails is kept where a person sees it."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)
