"""A seller with a lot and beneficiaries, a buyer, and a sale that settles at once."""

VILLAGE = [{"name": "东山村村民", "kind": "villager", "share": "0.85"},
           {"name": "东山村村集体", "kind": "collective", "share": "0.15"}]


def order(instrument, side, price, quantity, cid, **extra):
    return {"instrument": instrument, "side": side, "price": price, "quantity": quantity,
            "client_order_id": cid, **extra}


def carbon_seller(world, username="xiangshan", district="320282", quantity="1000"):
    """A seller with a verified ECO-CARBON lot (0-day, 100 % deposit: settles at the match)."""
    seller = world.trader(username, district)
    return seller, world.lot(seller, instrument="ECO-CARBON", quantity=quantity)


def sell_carbon(world, seller, serial, quantity="400", price="58.50", buyer=None, tag="1"):
    """The seller sells `quantity` at `price` to a buyer; settlement completes at once."""
    buyer = buyer or world.trader(f"buyer{tag}", "320214", cash="1000000")
    seller.post("/api/v1/orders", json=order("ECO-CARBON", "sell", price, quantity, f"s{tag}",
                                            lot_serial=serial))
    response = buyer.post("/api/v1/orders",
                          json=order("ECO-CARBON", "buy", price, quantity, f"b{tag}"))
    assert response.status_code == 201, response.json
    return buyer
