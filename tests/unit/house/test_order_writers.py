"""`ordering` owns the order: no module outside it writes an order row or calls into its repository, and inside
it only `advance_order` (ordering/status.py) updates an order. Read from the source, so a new writer fails here."""

import ast
import re
from pathlib import Path

import flexhub

SRC = Path(flexhub.__file__).parent
ORDER_MODELS = {"Order", "OrderLine"}
SQL_WRITE = re.compile(r"\b(update|insert\s+into|delete\s+from)\s+\"?(orders|order_lines)\b", re.IGNORECASE)
# Modules outside ordering allowed to write order rows, each with its reason. Empty: there is none today.
ALLOWED: dict[str, str] = {}


def modules() -> list[tuple[str, ast.Module]]:
    return [(p.relative_to(SRC).as_posix(), ast.parse(p.read_text())) for p in sorted(SRC.rglob("*.py"))]


def imported_names(tree: ast.Module, module: str, names: set[str] | None = None) -> set[str]:
    """Local names bound to `module` itself (`from pkg import mod`) or to the given names inside it."""
    bound = set()
    package, _, leaf = module.rpartition(".")
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == package:
            bound |= {a.asname or a.name for a in node.names if a.name == leaf and names is None}
        if isinstance(node, ast.ImportFrom) and node.module == module:
            bound |= {a.asname or a.name for a in node.names if names is None or a.name in names}
        if isinstance(node, ast.Import):
            bound |= {a.asname or a.name for a in node.names if a.name == module}
    return bound


def order_writes(tree: ast.Module) -> list[int]:
    """Lines that build an INSERT/UPDATE/DELETE on the order tables, in SQLAlchemy or in SQL text."""
    models = imported_names(tree, "flexhub.ordering.model", ORDER_MODELS)
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute) and node.args:
            verb = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            target = node.args[0]
            if isinstance(target, ast.Attribute):  # Order.__table__
                target = target.value
            if verb in ("insert", "update", "delete") and isinstance(target, ast.Name) and target.id in models:
                lines.append(node.lineno)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_WRITE.search(node.value):
            lines.append(node.lineno)
    return sorted(lines)


def repository_calls(tree: ast.Module) -> list[int]:
    """Lines that import ordering's repository (or a function of it)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "flexhub.ordering.repository":
            lines.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and node.module == "flexhub.ordering":
            lines += [node.lineno for a in node.names if a.name == "repository"]
        if isinstance(node, ast.Import) and any(a.name == "flexhub.ordering.repository" for a in node.names):
            lines.append(node.lineno)
    return lines


def test_no_module_outside_ordering_writes_an_order_row() -> None:
    found = {path: lines for path, tree in modules()
             if not path.startswith("ordering/") and path not in ALLOWED and (lines := order_writes(tree))}
    assert found == {}


def test_no_module_outside_ordering_calls_into_its_repository() -> None:
    found = {path: lines for path, tree in modules()
             if not path.startswith("ordering/") and path not in ALLOWED and (lines := repository_calls(tree))}
    assert found == {}


def test_inside_ordering_only_advance_order_updates_an_order() -> None:
    def updates(tree: ast.Module) -> list[int]:
        repo = imported_names(tree, "flexhub.ordering.repository")
        return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute) and node.func.attr == "update_order"
                and isinstance(node.func.value, ast.Name) and node.func.value.id in repo]

    found = {path: lines for path, tree in modules() if path.startswith("ordering/") and (lines := updates(tree))}
    assert found == {"ordering/status.py": found.get("ordering/status.py")} and found["ordering/status.py"]


def test_the_checks_see_a_writer_when_there_is_one() -> None:
    """The detectors above are not blind: a module writing orders the old way is caught by each."""
    tree = ast.parse(
        "from sqlalchemy import update\nfrom flexhub.ordering.model import Order\n"
        "from flexhub.ordering import repository as orders\n"
        "def f(c):\n    c.execute(update(Order).values(status='x'))\n    orders.update_order(c, 1)\n"
        "    c.exec_driver_sql('UPDATE orders SET status = 1')\n")
    assert (order_writes(tree), repository_calls(tree)) == ([5, 7], [3])
