"""Catalog: SPUs (products), SKUs (variants) with routing attributes, and bundles of SKUs."""
