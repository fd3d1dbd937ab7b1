"""SQL lives in repositories (writes, compare-and-set) and queries (reads; `<topic>_queries.py` where a capability's
reads are split by what they serve): no other module builds or runs a statement. Read from the source, so a handler,
page or CLI command that reaches for SQL fails here."""

import ast
from pathlib import Path

import flexhub

SRC = Path(flexhub.__file__).parent
BUILDERS = {"select", "insert", "update", "delete", "text", "union", "union_all", "exists", "values"}
RUNNERS = {"execute", "exec_driver_sql", "executemany", "scalar", "scalars", "copy"}
SQL_HOMES = {"repository.py", "queries.py"}
# Modules that keep SQL of their own, each with its reason.
ALLOWED: dict[str, str] = {
    "db/": "the database layer itself: engine, unit of work, outbox, migrations",
    "bench/": "benchmarks measure raw statements against scratch databases (pgbench's reference among them)",
    "testing/": "test support: resetting and snapshotting whole databases between tests",
    "ordering/writer/": "the hot-path order writer: SQL written once and run by psycopg directly (COPY, pipelined "
                        "reads, the stock row's guarded update last), where statement building would cost the budget",
    "analytics/facts.py": "DuckDB statements over the exported Arrow tables: an in-memory analytic database, not ours",
    "finance/profit_facts.py": "DuckDB statements over the rows profit exported: an in-memory analytic database",
}
# Modules whose SQL has not moved yet, and who moves it. The list only shrinks: an entry whose module no longer
# holds SQL fails the test until it is struck off.
NOT_YET_MOVED: dict[str, str] = {
}


def sql_sites(tree: ast.Module) -> list[int]:
    """Lines that build a statement with SQLAlchemy or run one on a connection, cursor or session."""
    builders = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("sqlalchemy") for a in node.names if a.name in BUILDERS}
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in builders:
            lines.append(node.lineno)
        elif isinstance(func, ast.Attribute) and func.attr in RUNNERS and node.args:
            lines.append(node.lineno)
        elif isinstance(func, ast.Attribute) and func.attr in BUILDERS and isinstance(func.value, ast.Name) \
                and func.value.id in ("sa", "sqlalchemy"):
            lines.append(node.lineno)
    return sorted(set(lines))


def sql_outside_homes() -> dict[str, list[int]]:
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        home = path.name in SQL_HOMES or path.name.endswith("_queries.py")
        if home or any(relative.startswith(prefix) for prefix in ALLOWED):
            continue
        if lines := sql_sites(ast.parse(path.read_text())):
            found[relative] = lines
    return found


def test_no_sql_outside_repositories_and_queries() -> None:
    found = sql_outside_homes()
    assert {path: lines for path, lines in found.items() if path not in NOT_YET_MOVED} == {}
    assert sorted(set(NOT_YET_MOVED) - set(found)) == []  # moved: strike it off the list


def test_the_check_sees_sql_where_there_is_some() -> None:
    tree = ast.parse(
        "from sqlalchemy import select as s, text\n"
        "def f(connection, rows):\n    connection.execute(s(1))\n    connection.scalar(text('select 1'))\n"
        "    rows.update({})\n    result.scalars()\n")
    assert sql_sites(tree) == [3, 4]
