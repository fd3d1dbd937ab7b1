"""No import cycles between capability packages: their import graph, read from the source (each capability's routes,
pages and webhook receivers left out: they belong to the entry layer), is acyclic once the back edges still listed
below are taken out. Each listed edge names who removes it; the list only shrinks (an
edge that no longer exists fails the test until it is struck off)."""

from graphlib import CycleError, TopologicalSorter

from flexhub.testing.import_graph import capability_imports

# (importer, imported) edges that close a cycle today, and why they are still there.
BACK_EDGES: dict[tuple[str, str], str] = {
    ("ordering", "channels"): "drafts, backorders and queries read listings through channels' repository and tables",
    # Unseen until `from flexhub import purchasing` counted as an import: purchasing's supplier portal, its
    # order-from-suggestions and its alerts page read replenishment's plan, which reads what purchasing has on order.
    ("replenishment", "purchasing"): "replenishment/repository.py reads on_order and sourcing_terms from purchasing's "
                                     "face; the portal and suggestion pages move above both",
}


def test_capabilities_import_each_other_without_cycles() -> None:
    edges = capability_imports()
    graph = {owner: imported - {b for a, b in BACK_EDGES if a == owner} for owner, imported in edges.items()}
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"a new import cycle between capabilities: {error.args[1]}") from None
    assert sorted(edge for edge in BACK_EDGES if edge[1] not in edges.get(edge[0], set())) == []  # strike it off


def test_the_check_sees_a_cycle() -> None:
    with_cycle = {"a": {"b"}, "b": {"a"}}
    try:
        tuple(TopologicalSorter(with_cycle).static_order())
    except CycleError:
        return
    raise AssertionError("a two-package cycle went unseen")
