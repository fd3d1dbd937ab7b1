"""The order writer's SQL on PostgreSQL, written once: the read, the rows written, the guarded stock update.

The column lists are the tables' (ordering, inventory, identity, outbox); `tests/unit/ordering/
test_writer_sql.py` checks them against the models so that a new column is not silently left out.
"""

# Everything a batch of one tenant's orders is decided on, read without a lock in one round trip (five statements
# were five), each part a JSON array of rows in the column order `reads.READ_ROWS` names:
# - its channels by code; `screened`: the tenant has cleaning rules, or the channel's reseller has terms (credit), so
#   its orders are judged on the lock-first path (ordering.screen);
# - its SKUs by code, and the components of those that are bundles;
# - the known orders, a probe of orders' unique (external_id, channel_id) index per (channel code, external id); the
#   tenant checked outside (as db.portable.rows_with_pair does: a young table's plan would scan the tenant);
# - every level the SKUs (and their bundles' components) could draw from in the channels' pools, in candidate order
#   (location priority, code) as inventory.repository.lock_levels returns them; with the SKU's and the location's
#   codes, which the answer to a command that asks for its order shows.
# Parameters: the tenant; channel codes, SKU codes, the probed orders' channel codes and external ids, each an array
# literal (reads.array_text). Prepared once like every statement here: the probe's channel is compared with IS NOT
# DISTINCT FROM (the same as = for ids that are never NULL), which no index can serve, so the unique index led by
# external_id (migration 0032) is the only index the probe can use and a plan cached while `orders` was young cannot
# take orders' (channel_id, created_at) index and filter a channel's every order for each key (it did: a thousand
# µs of the database's CPU an order, growing with the table).
READ = (
    "WITH ch AS (SELECT id, tenant_id, partner_id, code, pools, unpaid_hold_minutes, "
    "(EXISTS (SELECT 1 FROM cleaning_rules r WHERE r.tenant_id = channels.tenant_id AND r.enabled) OR EXISTS "
    "(SELECT 1 FROM reseller_terms t WHERE t.tenant_id = channels.tenant_id "
    "AND t.partner_id = channels.partner_id)) AS screened "
    "FROM channels WHERE tenant_id = %(tenant)s AND code = ANY(%(channels)s::text[])), "
    "sk AS (SELECT id, code, is_bundle FROM skus WHERE tenant_id = %(tenant)s AND code = ANY(%(skus)s::text[])), "
    "co AS (SELECT bundle_id, component_id, quantity FROM bundle_components "
    "WHERE tenant_id = %(tenant)s AND bundle_id IN (SELECT id FROM sk WHERE is_bundle)), "
    "kn AS (SELECT o.id, o.channel_id, o.external_id, o.status, o.channel_updated_at "
    "FROM unnest(%(channel_of)s::text[], %(external_ids)s::text[]) AS wanted(channel, external_id) "
    "JOIN ch ON ch.code = wanted.channel "
    "JOIN LATERAL (SELECT id, tenant_id, channel_id, external_id, status, channel_updated_at FROM orders "
    "WHERE orders.external_id = wanted.external_id AND orders.channel_id IS NOT DISTINCT FROM ch.id OFFSET 0) "
    "AS o ON true "
    "WHERE o.tenant_id = %(tenant)s), "
    "lv AS (SELECT s.id, s.sku_id, s.location_id, s.pool, s.on_hand, s.reserved, s.safety, s.in_transit, "
    "k.code AS sku_code, l.code AS location_code, l.priority AS location_priority "
    "FROM stock_levels s JOIN locations l ON l.id = s.location_id JOIN skus k ON k.id = s.sku_id "
    "WHERE s.tenant_id = %(tenant)s AND l.can_ship AND s.pool IN (SELECT jsonb_array_elements_text(pools) FROM ch) "
    "AND (s.sku_id IN (SELECT id FROM sk) OR s.sku_id IN (SELECT component_id FROM co))) "
    "SELECT (SELECT json_agg(json_build_array(id, tenant_id, partner_id, code, pools, unpaid_hold_minutes, screened)) "
    "FROM ch), "
    "(SELECT json_agg(json_build_array(id, code, is_bundle)) FROM sk), "
    "(SELECT json_agg(json_build_array(id, channel_id, external_id, status, channel_updated_at)) FROM kn), "
    "(SELECT json_agg(json_build_array(bundle_id, component_id, quantity) ORDER BY bundle_id, component_id) FROM co), "
    "(SELECT json_agg(json_build_array(id, sku_id, location_id, pool, on_hand, reserved, safety, in_transit, sku_code, "
    "location_code) ORDER BY location_priority, location_code) FROM lv)"
)
# The same probe of known orders by channel id, for orders refused on the snapshot, after their levels are locked:
# an import of the same order that held the lock meanwhile is seen. Parameters: channel ids and external ids (array
# literals), the tenant.
EXISTING_ORDERS = (
    "SELECT o.id, o.channel_id, o.external_id, o.status, o.channel_updated_at "
    "FROM unnest(%s::uuid[], %s::text[]) AS wanted(channel_id, external_id) "
    "JOIN LATERAL (SELECT id, tenant_id, channel_id, external_id, status, channel_updated_at FROM orders "
    "WHERE orders.external_id = wanted.external_id AND orders.channel_id IS NOT DISTINCT FROM wanted.channel_id "
    "OFFSET 0) AS o ON true "
    "WHERE o.tenant_id = %s"
)
# The levels orders refused on the snapshot could draw from, locked in id order (as every lock of levels is taken),
# with what each has available now. Parameters: the level ids.
LOCK_LEVELS = ("SELECT id, GREATEST(0, on_hand - reserved - safety) FROM stock_levels WHERE id = ANY(%s) "
               "ORDER BY id FOR UPDATE")
# The stock rows, last, and each tenant's StockChanged with them, in one statement sent with its COMMIT: the hot
# row's lock is held for the server's work and the commit alone, never while the writer's thread waits for the GIL
# (two processes' batches queued on it for that). The levels are locked in id order (as every lock of levels is
# taken: no deadlock), each taken only if what the batch planned is still there (read committed re-checks the row as
# locked); the event reports the levels as the take leaves them (inventory.level_documents' shape). A tenant with a
# level not taken gets a NULL event id, whose NOT NULL violation rolls the whole batch back: the writer then
# re-decides it lock-first (postgres.py). Parameters: level ids, quantities; tenants, event ids, levels per tenant;
# the moment.
TAKE_AND_TELL = (
    "WITH wanted AS (SELECT * FROM unnest(%s::uuid[], %s::int[]) AS w(id, quantity)), "
    "locked AS (SELECT s.id FROM stock_levels s JOIN wanted USING (id) ORDER BY s.id FOR UPDATE OF s), "
    "taken AS (UPDATE stock_levels s SET reserved = s.reserved + w.quantity FROM wanted w JOIN locked USING (id) "
    "WHERE s.id = w.id AND s.on_hand - s.reserved - s.safety >= w.quantity "
    "RETURNING s.id, s.tenant_id, s.sku_id, s.location_id, s.pool, s.on_hand, s.reserved, s.safety), "
    "told AS (SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::int[]) AS t(tenant_id, event_id, levels)) "
    "INSERT INTO outbox_events (event_id, tenant_id, type, body, occurred_at) "
    "SELECT CASE WHEN count(taken.sku_id) = told.levels THEN told.event_id END, told.tenant_id, 'StockChanged', "
    "json_build_object('levels', json_agg(json_build_object('sku_id', taken.sku_id, 'location_id', "
    "taken.location_id, 'pool', taken.pool, 'on_hand', taken.on_hand, 'reserved', taken.reserved, 'available', "
    "GREATEST(0, taken.on_hand - taken.reserved - taken.safety)) ORDER BY taken.id), 'cause', 'reserve'), "
    "%s::timestamptz FROM told LEFT JOIN taken USING (tenant_id) GROUP BY told.tenant_id, told.event_id, told.levels "
    "RETURNING event_id, tenant_id, body"
)

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


# The batch's rows, one JSON array of objects per table, each made a row by PostgreSQL (json_populate_recordset takes
# the table's own row type, so every value is read as its column's type). One statement for the six tables: the
# COPYs it replaced cost two round trips each. The outbox's first, so a batch's OrdersReceived precedes its
# StockChanged (written next, by TAKE_AND_TELL). Parameters: the tables' JSON, in `WRITTEN`'s order.
TABLES = {
    "orders": ("orders", ORDER_COLUMNS), "lines": ("order_lines", LINE_COLUMNS),
    "reservations": ("reservations", RESERVATION_COLUMNS), "movements": ("stock_movements", MOVEMENT_COLUMNS),
    "audits": ("audit_log", AUDIT_COLUMNS), "outbox": ("outbox_events", OUTBOX_COLUMNS),
}
WRITTEN = ("outbox", "orders", "lines", "reservations", "movements", "audits")


def inserted(table: str, columns: tuple[str, ...]) -> str:
    listed = ", ".join(f'"{column}"' for column in columns)
    return f"INSERT INTO {table} ({listed}) SELECT {listed} FROM json_populate_recordset(NULL::{table}, %s::json)"


WRITE_ROWS = "WITH " + ", ".join(f"{key}_in AS ({inserted(*TABLES[key])})" for key in WRITTEN[:-1]) + (
    " " + inserted(*TABLES[WRITTEN[-1]]))
