"""The PDF layout: Chinese text survives, markup in values is not read as markup."""

from io import BytesIO

from market import pdf


def test_a_chinese_document_renders_with_facts_rows_and_a_qr_code():
    document = pdf.Document(
        title="成交确认书", subtitle="编号 ABC123",
        sections=[pdf.Facts("交易双方", [("卖方", "宜兴市<b>自然资源局</b>"), ("买方", "新吴区")]),
                  pdf.Rows("明细", ["日期", "金额(元)"], [["2026年12月1日", "1,000.00"]])],
        footer="核验码 XYZ", qr_url="https://example.test/verify/XYZ")
    body = pdf.render(document)
    assert body.startswith(b"%PDF-")
    assert b"STSong-Light" in body
    assert len(body) > 1500


def test_export_names_the_file_and_media_type():
    file = pdf.export(pdf.Document(title="对账单"), "statement.pdf")
    assert file.filename == "statement.pdf"
    assert file.mimetype == "application/pdf"
    assert BytesIO(file.body).read(5) == b"%PDF-"
