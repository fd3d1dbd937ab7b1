"""The imports between capability packages, read from the source: what the house tests judge boundaries by.

A capability's public face is its package root and the names its `__init__.pyi` lists in `__all__` (kernel/faces.py).
Anything else of another capability a module reaches (a submodule imported, a name the face does not list, an
attribute of the package that is not in `__all__`) is a reach past the face, named `flexhub.<capability>.<name>`.
One kind is not: a `rules.py` importing another capability's `rules` or `errors` directly, since those are pure and
the face they sit behind is not (the import contract "rules are pure" forbids the SQL a face brings along).
"""

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import flexhub

SRC = Path(flexhub.__file__).parent
PURE = ("rules", "errors")
# A capability's routes, pages and webhook receivers: entry-layer modules kept in its folder (the layers contract in
# pyproject.toml), which may compose several capabilities without making one depend on another.
ENTRY_MODULES = ("api.py", "pages.py", "webhooks.py")
CAPABILITIES = frozenset({
    "alerts", "analytics", "batches", "catalog", "channels", "cleaning", "erp", "filters", "finance", "fulfillment",
    "identity", "inventory", "jobs", "lists", "members", "notifications", "ordering", "planning", "purchasing",
    "replenishment", "resellers", "returns", "routing", "shipping", "stores", "sync",
})


def capability_modules() -> Iterator[tuple[str, Path, ast.Module]]:
    """(owning capability, path, parsed source) of every module inside a capability package."""
    for path in sorted(SRC.rglob("*.py")):
        owner = path.relative_to(SRC).parts[0]
        if owner in CAPABILITIES:
            yield owner, path, ast.parse(path.read_text())


def imported_capabilities(tree: ast.Module, owner: str) -> set[str]:
    """The other capabilities a module imports anything of (at any depth, even lazily)."""
    found = set()
    for node in ast.walk(tree):
        for name in _names(node):
            parts = name.split(".")
            if parts[0] == "flexhub" and len(parts) > 1 and parts[1] in CAPABILITIES and parts[1] != owner:
                found.add(parts[1])
    return found


def capability_imports() -> dict[str, set[str]]:
    """For each capability, the other capabilities any of its modules imports, its entry-layer modules left out."""
    edges: dict[str, set[str]] = defaultdict(set)
    for owner, path, tree in capability_modules():
        if path.name not in ENTRY_MODULES:
            edges[owner] |= imported_capabilities(tree, owner)
    return edges


def face(capability: str) -> set[str]:
    """The names a capability's `__init__.pyi` lists in `__all__` (none when it has no stub)."""
    stub = SRC / capability / "__init__.pyi"
    if not stub.exists():
        return set()
    tree = ast.parse(stub.read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    return set()


def reaches_past_faces() -> dict[tuple[str, str], set[str]]:
    """(importing capability, what it reaches of another) → the modules that do, for every reach past a face."""
    faces = {capability: face(capability) for capability in CAPABILITIES}
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for owner, path, tree in capability_modules():
        where = path.relative_to(SRC).as_posix()
        for reached in reaches(tree, owner, faces):
            if not (path.name == "rules.py" and reached.split(".")[2] in PURE):
                found[(owner, reached)].add(where)
    return found


def reaches(tree: ast.Module, owner: str, faces: dict[str, set[str]]) -> Iterator[str]:
    """What a module of `owner` reaches of other capabilities past their faces (`faces`: capability → `__all__`)."""
    packages: dict[str, str] = {}  # a local name bound to another capability's package → that capability
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if _other(parts, owner):
                    if len(parts) > 2:
                        yield ".".join(parts[:3])
                    elif alias.asname:
                        packages[alias.asname] = parts[1]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if node.module == "flexhub":
                packages.update({a.asname or a.name: a.name for a in node.names if _other(["flexhub", a.name], owner)})
            elif _other(parts, owner) and len(parts) > 2:
                yield ".".join(parts[:3])
            elif _other(parts, owner):
                yield from (f"{node.module}.{a.name}" for a in node.names if a.name not in faces[parts[1]])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in packages:
            capability = packages[node.value.id]
            if node.attr not in faces[capability]:
                yield f"flexhub.{capability}.{node.attr}"


def _other(parts: list[str], owner: str) -> bool:
    return parts[0] == "flexhub" and len(parts) > 1 and parts[1] in CAPABILITIES and parts[1] != owner


def _names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        if node.module == "flexhub":
            return [f"flexhub.{alias.name}" for alias in node.names]
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []
