"""Conventions every page template keeps, checked on the sources."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TABLE = re.compile(r"<table\b[^>]*>", re.I)


def test_every_table_has_the_grid_styling():
    """An unstyled table is cramped and borderless next to the others (desk.css `table.grid`)."""
    tables = [(path.relative_to(TEMPLATES), tag) for path in TEMPLATES.rglob("*.html")
              for tag in TABLE.findall(path.read_text(encoding="utf-8"))]
    assert len(tables) > 20
    assert [(path, tag) for path, tag in tables if 'class="grid' not in tag] == []


def test_the_lot_pages_share_one_header():
    """The owner's and the regulator's lot pages extend one layout rather than copy it."""
    for name in ("trader/lot.html", "desk/lot.html"):
        source = (TEMPLATES / name).read_text(encoding="utf-8")
        assert source.startswith('{% extends "lot_page.html" %}'), name
        assert "<h1>" not in source and "lot_record.html" not in source, name
