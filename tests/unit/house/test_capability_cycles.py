"""No import cycles between capability packages. Two readings of the imports must each give an acyclic graph of
capabilities (each capability's routes, pages and webhook receivers left out: they belong to the entry layer):
the source read by `flexhub.testing.import_graph` (every import, at any depth, lazy ones included) and grimp's graph,
the one import-linter judges the contracts by. A cycle fails the test, named; break it with an event, a port the
composition root binds, or by moving the shared piece to its owner (docs/architecture.md)."""

from collections import defaultdict
from graphlib import CycleError, TopologicalSorter

import grimp

from flexhub.testing.import_graph import CAPABILITIES, ENTRY_MODULES, capability_imports

ENTRY = {name.removesuffix(".py") for name in ENTRY_MODULES}


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        return list(error.args[1])
    return None


def grimp_capability_imports() -> dict[str, set[str]]:
    graph = grimp.build_graph("flexhub")
    edges: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in CAPABILITIES or (len(parts) == 3 and parts[2] in ENTRY):
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) > 1 and other[1] in CAPABILITIES and other[1] != parts[1]:
                edges[parts[1]].add(other[1])
    return edges


def test_capabilities_import_each_other_without_cycles() -> None:
    edges = capability_imports()
    assert len(edges) > 20 and sum(map(len, edges.values())) > 60  # the reader sees the imports at all
    assert cycle_in(edges) is None, f"an import cycle between capabilities: {cycle_in(edges)}"


def test_import_linters_graph_has_no_cycle_between_capabilities() -> None:
    edges = grimp_capability_imports()
    assert edges["channels"] >= {"catalog", "inventory", "ordering"}  # the graph holds what the source says
    assert cycle_in(edges) is None, f"an import cycle between capabilities: {cycle_in(edges)}"


def test_the_check_sees_a_cycle() -> None:
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None
    assert cycle_in({"a": {"b"}, "b": {"c"}, "c": set()}) is None
