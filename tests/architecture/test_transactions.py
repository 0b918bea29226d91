"""One transaction boundary: only `market/services/transaction.py` commits the session."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOUNDARY = ROOT / "market" / "services" / "transaction.py"


def _session_commits(path: Path) -> list[int]:
    """Lines where `path` calls `<something>.session.commit()` or `session.commit()`."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "commit":
            receiver = ast.unparse(node.func.value)
            if receiver == "session" or receiver.endswith(".session"):
                lines.append(node.lineno)
    return lines


def test_the_boundary_is_the_only_place_that_commits():
    found = {str(path.relative_to(ROOT)): lines
             for package in ("market", "models", "matching")
             for path in sorted((ROOT / package).rglob("*.py"))
             if path != BOUNDARY and (lines := _session_commits(path))}
    assert found == {}


def test_the_check_finds_a_commit():
    assert _session_commits(BOUNDARY), "the boundary itself commits; the scan must see it"
