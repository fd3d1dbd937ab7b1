"""A capability's public face: declared once in its `__init__.pyi`, loaded name by name on first use.

The stub lists what the capability exports, as `from flexhub.<capability>.<module> import Name` lines and an
`__all__`, so type checkers and readers see the face. `attach(__name__, __file__)` reads it and gives the package a
module `__getattr__` that imports a name's module only when someone first asks for the name (SPEC 1, as scientific
Python's lazy_loader does). Importing one module of a capability, such as its pure `rules`, so loads nothing else of
it, and package `__init__` files take no part in import cycles.
"""

import ast
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any


def attach(package: str, init_file: str) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """(`__getattr__`, `__dir__`, `__all__`) for the package whose `__init__.py` is `init_file`."""
    homes = _homes(package, Path(init_file).with_suffix(".pyi"))

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        home, attribute = homes[name]
        module = importlib.import_module(home)
        value = module if attribute is None else getattr(module, attribute)
        setattr(importlib.import_module(package), name, value)  # asked once: later lookups find it directly
        return value

    def __dir__() -> list[str]:
        return sorted(homes)

    return __getattr__, __dir__, sorted(homes)


def _homes(package: str, stub: Path) -> dict[str, tuple[str, str | None]]:
    """Each exported name → (the module it comes from, its name there; None for an exported submodule)."""
    homes: dict[str, tuple[str, str | None]] = {}
    listed = None
    for node in ast.parse(stub.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                exported = alias.asname or alias.name
                submodule = node.module == package
                homes[exported] = (f"{package}.{alias.name}", None) if submodule else (node.module, alias.name)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            listed = set(ast.literal_eval(node.value))
    if listed != set(homes):
        raise ImportError(f"{stub}: __all__ and the names imported differ: {sorted(set(homes) ^ (listed or set()))}")
    return homes
