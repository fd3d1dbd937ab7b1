"""The order writer's SQL on PostgreSQL, written once: reads, COPY targets, the guarded stock update.

The column lists are the tables' (ordering, inventory, identity, outbox); `tests/unit/ordering/
test_writer_sql.py` checks them against the models so that a new column is not silently left out.
"""

# `screened`: the tenant has cleaning rules, or the channel's reseller has terms (credit), so its orders are judged
# on the lock-first path (ordering.screen).
CHANNELS = ("SELECT id, tenant_id, partner_id, code, pools, unpaid_hold_minutes, "
            "(EXISTS (SELECT 1 FROM cleaning_rules r WHERE r.tenant_id = channels.tenant_id AND r.enabled) OR EXISTS "
            "(SELECT 1 FROM reseller_terms t WHERE t.tenant_id = channels.tenant_id "
            "AND t.partner_id = channels.partner_id)) AS screened "
            "FROM channels "
            "WHERE tenant_id = %s AND code = ANY(%s)")
SKUS = "SELECT id, code, is_bundle FROM skus WHERE tenant_id = %s AND code = ANY(%s)"
COMPONENTS = ("SELECT bundle_id, component_id, quantity FROM bundle_components "
              "WHERE tenant_id = %s AND bundle_id = ANY(%s) ORDER BY bundle_id, component_id")
# A probe of the (channel_id, external_id) unique index per key; the tenant checked outside (as
# db.portable.rows_with_pair does, for the same reason: a young table's plan would scan the tenant).
EXISTING_ORDERS = (
    "SELECT o.id, o.channel_id, o.external_id, o.status, o.channel_updated_at "
    "FROM unnest(%s::uuid[], %s::text[]) AS wanted(channel_id, external_id) "
    "JOIN LATERAL (SELECT id, tenant_id, channel_id, external_id, status, channel_updated_at FROM orders "
    "WHERE orders.channel_id = wanted.channel_id AND orders.external_id = wanted.external_id OFFSET 0) AS o ON true "
    "WHERE o.tenant_id = %s"
)
# Every level the batch's SKUs (and their bundles' components) could draw from, read without a lock;
# in candidate order (location priority, code) as inventory.repository.lock_levels returns them; with the
# SKU's and the location's codes, which the answer to a command that asks for its order shows.
LEVELS = (
    "SELECT s.id, s.sku_id, s.location_id, s.pool, s.on_hand, s.reserved, s.safety, s.in_transit, "
    "k.code AS sku_code, l.code AS location_code "
    "FROM stock_levels s JOIN locations l ON l.id = s.location_id JOIN skus k ON k.id = s.sku_id "
    "WHERE s.tenant_id = %s AND l.can_ship AND s.pool = ANY(%s) AND (s.sku_id = ANY(%s) OR s.sku_id IN "
    "(SELECT component_id FROM bundle_components WHERE tenant_id = %s AND bundle_id = ANY(%s))) "
    "ORDER BY l.priority, l.code"
)
# The stock row, last: taken only if what the batch planned is still there (read committed re-checks
# the row as it is once locked), after everything else is written and just before COMMIT.
TAKE = ("UPDATE stock_levels SET reserved = reserved + %s WHERE id = %s AND on_hand - reserved - safety >= %s "
        "RETURNING on_hand, reserved, safety")

ORDER_COLUMNS = (
    "id", "tenant_id", "partner_id", "channel_id", "external_id", "status", "status_reason", "currency",
    "subtotal", "discount_total", "shipping_fee", "total", "payment_state", "is_presale", "is_vip", "live_room",
    "streamer", "buyer", "shipping_address", "placed_at", "channel_updated_at", "version", "created_at",
    "updated_at",
)
LINE_COLUMNS = ("id", "tenant_id", "order_id", "line_no", "sku_id", "sku_code", "quantity", "unit_price", "discount",
                "is_presale", "external_line_id")
RESERVATION_COLUMNS = ("id", "tenant_id", "order_id", "line_no", "sku_id", "location_id", "pool", "quantity", "state",
                       "expires_at", "created_at", "closed_at")
MOVEMENT_COLUMNS = ("id", "tenant_id", "sku_id", "location_id", "pool", "kind", "on_hand_delta", "reserved_delta",
                    "in_transit_delta", "actor", "reason", "reference", "created_at")
AUDIT_COLUMNS = ("id", "tenant_id", "actor", "role", "partner_id", "action", "entity", "entity_id", "request_id",
                 "detail", "at")
OUTBOX_COLUMNS = ("event_id", "tenant_id", "type", "body", "occurred_at")


def copy(table: str, columns: tuple[str, ...]) -> str:
    return f"COPY {table} ({', '.join(columns)}) FROM STDIN"


COPY_ORDERS = copy("orders", ORDER_COLUMNS)
COPY_LINES = copy("order_lines", LINE_COLUMNS)
COPY_RESERVATIONS = copy("reservations", RESERVATION_COLUMNS)
COPY_MOVEMENTS = copy("stock_movements", MOVEMENT_COLUMNS)
COPY_AUDIT = copy("audit_log", AUDIT_COLUMNS)
COPY_OUTBOX = copy("outbox_events", OUTBOX_COLUMNS)
INSERT_OUTBOX = f"INSERT INTO outbox_events ({', '.join(OUTBOX_COLUMNS)}) VALUES (%s, %s, %s, %s, %s)"
