"""Roles and what each may do. Pure: no I/O."""

ROLES = ("admin", "operator", "viewer", "partner")
PARTNER_KINDS = ("reseller", "supplier", "store")

# permission -> roles granted it
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),  # each route then shows a partner its own rows only (docs/roles.md)
    "brand.read": frozenset({"admin", "operator", "viewer"}),  # the brand's figures across all partners: forecasts,
    # purchase suggestions, analytics; a partner is refused 403 `auth.forbidden`
    "catalog.write": frozenset({"admin", "operator"}),
    "inventory.write": frozenset({"admin", "operator"}),
    "purchasing.write": frozenset({"admin", "operator"}),  # order from suppliers, receive, resolve discrepancies
    "purchasing.respond": frozenset({"partner"}),  # a supplier's key: confirm, change, announce shipments
    "notifications.write": frozenset({"admin", "partner"}),  # webhook endpoints: the tenant's, or a partner's own
    "orders.write": frozenset({"admin", "operator", "partner"}),
    "returns.open": frozenset({"admin", "operator", "partner"}),  # an RMA; a partner's only of its own orders
    "resellers.connect": frozenset({"admin", "partner"}),  # a reseller's own stores, listings and parcel brand
    "channels.write": frozenset({"admin"}),
    "cleaning.configure": frozenset({"admin"}),  # the order cleaning rules (address, blacklist, duplicates…)
    "resellers.configure": frozenset({"admin"}),  # a reseller's terms (credit limit, fees) and price list
    "identity.write": frozenset({"admin"}),
    "routing.read": frozenset({"admin", "operator", "viewer"}),
    "routing.write": frozenset({"admin", "operator"}),  # route or re-route an order now
    "routing.configure": frozenset({"admin"}),
    "jobs.manage": frozenset({"admin", "operator"}),  # the job queue: see its jobs, retry or delete dead ones
    "planning.write": frozenset({"admin", "operator"}),  # sales history and the event calendar the forecasts read
    "finance.read": frozenset({"admin", "operator", "viewer"}),  # statements, reconciliation, fee terms: staff only
    "finance.write": frozenset({"admin", "operator"}),  # import statements, resolve differences
    "erp.configure": frozenset({"admin"}),  # connect an ERP (its credentials)
    "erp.write": frozenset({"admin", "operator"}),  # sync now, map records, retry parked documents
    "members.read": frozenset({"admin", "operator", "viewer"}),  # the brand's members: staff only
    "members.write": frozenset({"admin", "operator"}),  # register, points, coupons (store staff at the till)
    "stores.read": frozenset({"admin", "operator", "viewer"}),  # shelf QR codes, labels, the staff page
    "stores.write": frozenset({"admin", "operator"}),  # shelf prices, store sales, pick-ups, balancing
    "stores.configure": frozenset({"admin"}),  # the WeChat Pay merchant account (its keys)
    # the brand's nodes (codes, names, addresses) and routing decisions in answers: staff; a partner's answers are
    # blind (a reseller's parcels are drop-shipped in its name: identity/masking.py)
    "nodes.read": frozenset({"admin", "operator", "viewer"}),
    # buyers' names, phones and addresses unmasked: staff who ship, and a partner for its own orders
    "personal_data.read": frozenset({"admin", "operator", "partner"}),
}


def may(role: str, permission: str) -> bool:
    return role in PERMISSIONS.get(permission, frozenset())
