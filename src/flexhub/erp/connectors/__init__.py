"""ERP connectors, one module per ERP, registered as `flexhub.erp` entry points."""
