"""Format negotiation and attachments, shared by the API and the pages."""

import pytest

from market.downloads import attachment, content_disposition, wanted_format
from market.tables import XLSX_MEDIA_TYPE, Export


@pytest.mark.parametrize(("asked", "accept", "expected"), [
    ("csv", XLSX_MEDIA_TYPE, "csv"),
    ("json", "text/csv", "json"),
    (None, None, "json"),
    (None, "text/csv", "csv"),
    (None, XLSX_MEDIA_TYPE, "xlsx"),
    (None, "application/json", "json"),
    (None, "*/*", "json"),
    (None, f"application/json;q=0.5, {XLSX_MEDIA_TYPE}", "xlsx"),
    (None, "text/html", "json"),
])
def test_format_wins_then_accept_then_the_default(app, asked, accept, expected):
    headers = {"Accept": accept} if accept else {}
    with app.test_request_context(headers=headers):
        assert wanted_format(asked) == expected


def test_a_page_offers_files_only(app):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    with app.test_request_context(headers={"Accept": browser}):
        assert wanted_format(None, ("csv", "xlsx"), "csv") == "csv"
    with app.test_request_context():
        assert wanted_format(None, ("csv", "xlsx"), "csv") == "csv"


def test_an_ascii_name_is_quoted_as_it_is():
    assert content_disposition("report-320200-2026-11.csv") == \
        'attachment; filename="report-320200-2026-11.csv"'


def test_a_chinese_name_goes_as_rfc_5987_with_an_ascii_stand_in():
    assert content_disposition("FO-QTY_成交明细 2026.csv") == (
        'attachment; filename="FO-QTY_____ 2026.csv"; '
        "filename*=UTF-8''FO-QTY_%E6%88%90%E4%BA%A4%E6%98%8E%E7%BB%86%202026.csv")


def test_quotes_and_backslashes_never_end_the_quoted_name():
    assert content_disposition('a"b\\c.csv').startswith('attachment; filename="a_b_c.csv"; ')


def test_a_stream_is_sent_in_its_chunks(app):
    with app.test_request_context():
        response = attachment(Export("a.csv", "text/csv; charset=utf-8", iter([b"a", b"b"])))
        assert response.is_streamed
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"] == 'attachment; filename="a.csv"'
