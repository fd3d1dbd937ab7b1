"""Migrations form one numbered chain: each file NNNN_name.py has revision "NNNN" and revises the one before. Two
branches landing the same number (it happened: two 0011s) fail here, before Alembic picks one silently."""

import ast
from pathlib import Path

import flexhub

VERSIONS = Path(flexhub.__file__).parent / "db" / "migrations" / "versions"


def declared(path: Path) -> dict[str, object]:
    found = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            found[node.target.id] = ast.literal_eval(node.value)
    return found


def test_each_migration_is_numbered_as_its_revision_and_revises_the_one_before() -> None:
    files = sorted(VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
    numbers = [path.name[:4] for path in files]
    assert len(numbers) == len(set(numbers)), f"two migrations share a number: {numbers}"
    assert numbers == [f"{n:04d}" for n in range(1, len(numbers) + 1)], "numbers run 0001, 0002, … without gaps"
    previous = None
    for path, number in zip(files, numbers, strict=True):
        revision = declared(path)
        assert (revision["revision"], revision["down_revision"]) == (number, previous), path.name
        previous = number
