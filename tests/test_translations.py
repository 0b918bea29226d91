"""The Chinese catalogue: its sources merge into the compiled catalogue, and every string the
code marks for translation has a Chinese translation."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from market import i18n

ROOT = Path(__file__).resolve().parent.parent


def _translated() -> dict[str, str]:
    found = {}
    for source in (i18n.TRANSLATIONS / "zh" / "sources").glob("*.po"):
        with source.open("rb") as handle:
            found.update({(m.context, m.id): m.string for m in read_po(handle) if m.id})
    return found


def test_every_marked_string_has_a_chinese_translation():
    method_map = [("market/**.py", "python"), ("templates/**.html", "jinja2")]
    marked = {(message[4], message[2] if isinstance(message[2], str) else message[2][0])
              for message in extract_from_dir(str(ROOT), method_map=method_map,
                                              keywords=i18n.KEYWORDS)}
    translated = {key for key, value in _translated().items() if value}
    assert sorted(marked - translated) == []


def test_a_string_translated_twice_differently_is_refused(tmp_path, monkeypatch):
    sources = tmp_path / "zh" / "sources"
    sources.mkdir(parents=True)
    for name, text in (("a.po", "甲"), ("b.po", "乙")):
        (sources / name).write_text(f'msgid "x"\nmsgstr "{text}"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "TRANSLATIONS", tmp_path)
    with pytest.raises(ValueError, match="translated twice"):
        i18n.compile_catalogue()


def test_the_compile_command_writes_the_catalogue():
    result = subprocess.run([sys.executable, "-m", "market.i18n"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().endswith("messages.mo")


CJK = re.compile(r"[\u4e00-\u9fff]")
# Data, not wording: the demo's names and projects, and the catalogue itself.
DATA_MODULES = {"market/demo.py"}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) \
                and node.body and isinstance(node.body[0], ast.Expr) \
                and isinstance(node.body[0].value, ast.Constant):
            found.add(id(node.body[0].value))
    return found


def test_code_and_templates_hold_no_literal_chinese():
    # Every word a person reads goes through the catalogue: Chinese lives in the .po sources.
    left = []
    for path in sorted((ROOT / "market").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name in DATA_MODULES or name.startswith("market/demo_"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        left += [f"{name}:{node.lineno}: {node.value}" for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and isinstance(node.value, str)
                 and id(node) not in skip and CJK.search(node.value)]
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        left += [f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
                 for number, line in enumerate(text.splitlines(), start=1) if CJK.search(line)]
    left += [f"market/static/{path.name}" for path in (ROOT / "market/static").glob("*.js")
             if CJK.search(path.read_text(encoding="utf-8"))]
    assert left == []
