"""A seller's statement lists what it paid out to beneficiaries and the pledges on its lots."""

from io import BytesIO

from openpyxl import load_workbook

from tests.payouts.helpers import VILLAGE, carbon_seller, sell_carbon


def test_the_statement_lists_disbursements_and_pledges(world):
    seller, serial = carbon_seller(world, "huangtu", "320281100")
    seller.put(f"/api/v1/lots/{serial}/beneficiaries", json=VILLAGE)
    sell_carbon(world, seller, serial, tag="1")
    payout = seller.get("/api/v1/payouts").json[0]
    assert seller.post(f"/api/v1/payouts/{payout['id']}/disbursements",
                       json={"amount": "100.00", "reference": "BANK-7"}).status_code == 201
    pledge = seller.post(f"/api/v1/lots/{serial}/pledges", json={
        "quantity": "10", "pledgee_name": "江阴农商银行", "amount": "500000.00",
        "reference": "JYRCB-1"}).json
    world.regulator.post(f"/api/v1/pledges/{pledge['id']}/register")

    statement = seller.get("/api/v1/accounts/me/statement").json
    [paid] = statement["payouts"]
    assert (paid["beneficiary"], paid["amount"], paid["reference"]) == (
        payout["beneficiary_name"], "100.00", "BANK-7")
    [pledged] = statement["pledges"]
    assert (pledged["pledgee"], pledged["pledge_status"]) == ("江阴农商银行", "registered")

    book = load_workbook(BytesIO(seller.get("/api/v1/accounts/me/statement?format=xlsx").data))
    cells = {cell.value for sheet in book for row in sheet.iter_rows() for cell in row}
    names = set(book.sheetnames)
    assert "支付受益人" in names | cells and "江阴农商银行" in cells
    assert "BANK-7" in cells
