"""The reference book's amendments: reduce, replace and amend (see reference_model.py)."""

from __future__ import annotations

from matching import Amend, Amended, Mode, Reduce, Reduced, Replace, Replaced


class AmendRef:
    """Amendment commands of the brute-force book (a mixin of ``Ref``)."""

    def reduce(self, c: Reduce):
        o = self.find(c.order_id)
        if o is None:
            return self.reject(c.order_id, "unknown_order")
        if (c.new_quantity is None) == (c.by is None):
            return self.reject(c.order_id, "not_a_reduction")
        amount = c.by if c.new_quantity is None else c.new_quantity
        code = self.qty_code(amount)
        if code:
            return self.reject(c.order_id, code)
        new = o["rem"] - c.by if c.new_quantity is None else c.new_quantity - (o["qty"] - o["rem"])
        if not 0 < new < o["rem"]:
            return self.reject(c.order_id, "not_a_reduction")
        self.last_at = self.last_at if c.at is None else c.at
        old = o["rem"]
        o["qty"] -= old - new
        o["rem"] = new
        return [Reduced(o["id"], old, new, o["side"], o["price"])]

    def replace(self, c: Replace):
        o = self.find(c.order_id)
        if o is None:
            return self.reject(c.order_id, "unknown_order")
        code = self.price_code(c.new_price)
        if code:
            return self.reject(c.order_id, code)
        self.last_at = at = self.last_at if c.at is None else c.at
        self.resting.remove(o)
        events = [Replaced(o["id"], o["price"], c.new_price, o["rem"], o["side"])]
        o = dict(o, price=c.new_price)
        if self.spec.mode != Mode.CALL_AUCTION:
            self.match(o, at, events)
        if o["rem"]:
            self.rest(o, events)
        return events

    def amend(self, c: Amend):
        o = self.find(c.order_id)
        if o is None:
            return self.reject(c.order_id, "unknown_order")
        price = o["price"] if c.new_price is None else c.new_price
        code = None if c.new_price is None else self.price_code(c.new_price)
        qty = o["qty"] if c.new_quantity is None else c.new_quantity
        code = code or (None if c.new_quantity is None else self.qty_code(c.new_quantity))
        if code:
            return self.reject(c.order_id, code)
        rem = qty - (o["qty"] - o["rem"])
        if rem <= 0:
            return self.reject(c.order_id, "below_filled")
        if price == o["price"]:
            price = o["price"]
            if rem == o["rem"]:
                return self.reject(c.order_id, "no_change")
        self.last_at = at = self.last_at if c.at is None else c.at
        kept = price == o["price"] and rem < o["rem"]
        events = [Amended(o["id"], o["side"], price, qty, rem, o["price"], o["rem"], kept)]
        if kept:
            o["qty"], o["rem"] = qty, rem
            return events
        self.resting.remove(o)
        o = dict(o, price=price, qty=qty, rem=rem)
        if self.spec.mode != Mode.CALL_AUCTION:
            self.match(o, at, events)
        if o["rem"]:
            self.rest(o, events)
        return events
