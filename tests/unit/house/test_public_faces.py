"""Capabilities import each other only through their public face: the package root and the names its `__init__.pyi`
lists in `__all__` (commands, events, errors, queries and the few functions others call). What still reaches past a
face is listed below by name, with why; the list only shrinks (an entry no longer reached fails the test until it is
struck off). A `rules.py` may import another capability's `rules` and `errors` directly (flexhub.testing.import_graph).
"""

import ast
import subprocess
import sys

from flexhub.testing.import_graph import CAPABILITIES, face, reaches, reaches_past_faces

# (importing capability, what it reaches) → why it still does. Each is a table joined in SQL by the importer's own
# repository or queries (or, for sync, by modules whose SQL has not moved yet): the owner exporting a query for it
# would cost a round trip on paths that are measured, so they wait for a read model.
PAST_THE_FACE: dict[tuple[str, str], str] = {
    ("alerts", "flexhub.catalog.model"): "alerts/queries.py joins Sku for the SKU code of an alert",
    ("alerts", "flexhub.inventory.model"): "alerts/queries.py joins Location for the node code of an alert",
    ("analytics", "flexhub.catalog.model"): "analytics reads whole tables into Arrow: Sku",
    ("analytics", "flexhub.channels.model"): "analytics reads whole tables into Arrow: Channel",
    ("analytics", "flexhub.inventory.model"): "analytics reads whole tables into Arrow: Location, Reservation, "
                                              "StockMovement",
    ("analytics", "flexhub.ordering.model"): "analytics reads whole tables into Arrow: Order, OrderLine",
    ("channels", "flexhub.catalog.model"): "channels' queries and repository join Sku to map listings to SKU codes",
    ("finance", "flexhub.catalog.model"): "finance's reads reads whole tables for costs and profit: Sku, Spu",
    ("finance", "flexhub.channels.model"): "finance's reads reads whole tables for costs and profit: Channel",
    ("finance", "flexhub.fulfillment.model"): "finance's reads joins Shipment's waybills to carriers' charges",
    ("finance", "flexhub.inventory.model"): "finance's reads replays StockMovement for moving-average costs",
    ("finance", "flexhub.ordering.model"): "finance's reads reads Order and OrderLine for revenue",
    ("finance", "flexhub.purchasing.model"): "finance's reads reads purchase order lines for receipt costs",
    ("finance", "flexhub.returns.model"): "finance's reads reads Return for refunds",
    ("finance", "flexhub.routing.model"): "finance's reads reads RoutingDecision for rate-card shipping",
    ("fulfillment", "flexhub.catalog.model"): "fulfillment/queries.py joins Sku for the lines of a shipment",
    ("fulfillment", "flexhub.channels.model"): "fulfillment/queries.py joins Channel for the notice to send",
    ("fulfillment", "flexhub.inventory.model"): "fulfillment's queries and repository join Location (the node)",
    ("fulfillment", "flexhub.ordering.model"): "fulfillment's queries and repository read Order and OrderLine "
                                               "beside the shipment",
    ("inventory", "flexhub.catalog.model"): "inventory/queries.py joins Sku for SKU codes in stock views",
    ("ordering", "flexhub.catalog.model"): "ordering/queries.py joins Sku for the order's lines",
    ("ordering", "flexhub.inventory.model"): "ordering/queries.py joins Location and Reservation for what it holds",
    ("purchasing", "flexhub.catalog.model"): "purchasing's queries and repository join Sku",
    ("purchasing", "flexhub.identity.model"): "purchasing's queries and repository join Partner (the supplier)",
    ("purchasing", "flexhub.inventory.model"): "purchasing's queries and repository join Location and StockLevel",
    ("replenishment", "flexhub.catalog.model"): "replenishment/repository.py reads Sku and Spu for planning",
    ("replenishment", "flexhub.inventory.model"): "replenishment/repository.py reads levels, reservations and "
                                                  "movements as its demand history",
    ("replenishment", "flexhub.ordering.model"): "replenishment/repository.py reads Order as demand",
    ("returns", "flexhub.catalog.model"): "returns' queries and repository join Sku",
    ("returns", "flexhub.channels.model"): "returns/repository.py joins Channel for an RMA's channel",
    ("returns", "flexhub.inventory.model"): "returns/queries.py joins Location (the returns centre)",
    ("returns", "flexhub.ordering.model"): "returns/repository.py reads the Order an RMA is for",
    ("routing", "flexhub.catalog.model"): "routing/repository.py joins Sku for routing attributes",
    ("routing", "flexhub.inventory.model"): "routing/repository.py joins Location (the candidate nodes)",
    ("routing", "flexhub.ordering.model"): "routing's queries and repository read Order",
    ("sync", "flexhub.catalog.model"): "sync/queries.py joins BundleComponent (the bundles a SKU's change moves)",
    ("sync", "flexhub.channels.model"): "sync's queries and repository use the listing, push, feed, drift and "
                                        "reconciliation tables channels declares",
    ("sync", "flexhub.inventory.model"): "sync/queries.py joins Location and StockLevel (what the nodes that ship "
                                          "hold)",
    ("sync", "flexhub.ordering.model"): "sync's queries and repository count units a channel sold from Order and "
                                        "OrderLine (since a push; within a rebalancing window)",
}


def test_capabilities_import_only_each_others_faces() -> None:
    found = reaches_past_faces()
    unlisted = {reach: sorted(modules) for reach, modules in found.items() if reach not in PAST_THE_FACE}
    assert unlisted == {}, "import these from the capability's package root, exporting them there if they belong"
    assert sorted(reach for reach in PAST_THE_FACE if reach not in found) == []  # strike it off


def test_every_face_imports_alone_and_has_what_it_lists() -> None:
    """Each package imported first, in a fresh interpreter: no cycle through package `__init__` files, and every
    name in `__all__` there."""
    script = (
        "import importlib, sys\n"
        f"for capability in {sorted(CAPABILITIES)!r}:\n"
        "    for name in [m for m in sys.modules if m == 'flexhub' or m.startswith('flexhub.')]:\n"
        "        del sys.modules[name]\n"
        "    package = importlib.import_module('flexhub.' + capability)\n"
        "    missing = [name for name in getattr(package, '__all__', []) if not hasattr(package, name)]\n"
        "    assert not missing, (capability, missing)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]


def test_the_check_sees_a_reach_past_a_face() -> None:
    source = ("from flexhub import inventory\n"
              "from flexhub.inventory import Level, repository\n"
              "from flexhub.inventory.model import Location\n"
              "inventory.lock_levels_by_key, inventory.write_levels\n")
    found = set(reaches(ast.parse(source), "routing", {"inventory": face("inventory")}))
    assert found == {"flexhub.inventory.repository", "flexhub.inventory.model", "flexhub.inventory.write_levels"}
