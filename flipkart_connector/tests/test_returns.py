from odoo.tests import new_test_user, tagged

from .common import ReturnCase


@tagged("post_install", "-at_install")
class TestReturnReceipts(ReturnCase):
    def test_customer_return_becomes_a_receipt_once(self):
        delivery = self.delivered(lines=[(next(iter(self.sandbox.listings)), 3)])
        item = delivery.sale_id.order_line.filtered("flipkart_order_item_id")[0]
        return_id = self.sandbox.create_return(
            delivery.flipkart_shipment_id,
            order_item_id=item.flipkart_order_item_id,
            quantity=2,
            reason="damaged",
            sub_reason="broken_screen",
        )
        location = self.env["stock.location"].create(
            {
                "name": "Flipkart returns",
                "location_id": self.warehouse.view_location_id.id,
                "usage": "internal",
            }
        )
        self.account.return_location_id = location
        self.Returns._pull(self.account)
        receipt = self.receipts()
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.flipkart_return_id, return_id)
        self.assertEqual(receipt.picking_type_code, "incoming")
        self.assertEqual(receipt.return_id, delivery)
        self.assertIn(receipt.state, ("assigned", "confirmed"))  # never done
        self.assertEqual(receipt.location_dest_id, location)
        self.assertEqual(receipt.move_line_ids.location_dest_id, location)
        self.assertEqual(receipt.move_ids.product_uom_qty, 2)
        self.assertEqual(receipt.move_ids.product_id, item.product_id)
        self.assertEqual(receipt.flipkart_return_source, "customer_return")
        self.assertEqual(receipt.flipkart_return_reason, "damaged")
        self.assertEqual(receipt.flipkart_return_sub_reason, "broken_screen")
        self.assertTrue(self.account.return_cursor)
        # Pulled again, and notified (twice): still one receipt.
        self.account.return_cursor = False
        self.Returns._pull(self.account)
        event = self.sandbox.notifications[-1]
        for _attempt in range(2):
            Event = self.env["flipkart.event"]
            ev = Event._record(
                self.account,
                kind=event["eventType"],
                direction="inbound",
                key=f"n:{event['eventType']}:{_attempt}",
                payload=event,
            )
            ev._process()
            self.assertEqual(ev.state, "done", ev.last_error)
        self.assertEqual(len(self.receipts()), 1)

    def test_partial_and_several_returns_of_one_shipment(self):
        skus = list(self.sandbox.listings)[:2]
        delivery = self.delivered(lines=[(skus[0], 2), (skus[1], 1)])
        lines = delivery.sale_id.order_line.filtered("flipkart_order_item_id")
        first = self.sandbox.create_return(
            delivery.flipkart_shipment_id,
            order_item_id=lines[0].flipkart_order_item_id,
            quantity=1,
        )
        second = self.sandbox.create_return(
            delivery.flipkart_shipment_id,
            order_item_id=lines[1].flipkart_order_item_id,
            quantity=1,
        )
        self.Returns._pull(self.account)
        receipts = self.receipts()
        self.assertEqual(set(receipts.mapped("flipkart_return_id")), {first, second})
        for receipt in receipts:
            self.assertEqual(receipt.move_ids.product_uom_qty, 1)

    def test_receiving_a_customer_return_credits_the_received_items(self):
        delivery = self.delivered(lines=[(next(iter(self.sandbox.listings)), 3)])
        line = delivery.sale_id.order_line.filtered("flipkart_order_item_id")[0]
        self.sandbox.create_return(
            delivery.flipkart_shipment_id,
            order_item_id=line.flipkart_order_item_id,
            quantity=2,
        )
        self.Returns._pull(self.account)
        receipt = self.receipts()
        self.receive(receipt)
        credit = receipt.flipkart_credit_note_id
        invoice = delivery.sale_id.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice"
        )
        self.assertEqual(credit.move_type, "out_refund")
        self.assertEqual(credit.state, "draft")
        self.assertEqual(credit.reversed_entry_id, invoice)
        credited = credit.invoice_line_ids.filtered(
            lambda aml: aml.display_type == "product"
        )
        invoiced = invoice.invoice_line_ids.filtered(
            lambda aml: aml.sale_line_ids == line
        )
        self.assertEqual(credited.quantity, 2)
        self.assertEqual(credited.tax_ids, invoiced.tax_ids)
        self.assertAlmostEqual(credited.price_unit, invoiced.price_unit)
        self.assertAlmostEqual(
            credit.amount_total, invoiced.price_total * 2 / 3, places=2
        )

    def test_a_warehouse_user_receives_and_the_credit_note_follows(self):
        delivery = self.delivered()
        self.sandbox.create_return(delivery.flipkart_shipment_id)
        self.Returns._pull(self.account)
        user = new_test_user(
            self.env,
            "fk_warehouse",
            groups="stock.group_stock_user,flipkart_connector.group_flipkart_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        receipt = self.receipts().with_user(user)
        self.receive(receipt)
        self.assertEqual(receipt.sudo().flipkart_credit_note_id.move_type, "out_refund")

    def test_a_return_received_in_two_parts_is_credited_twice(self):
        delivery = self.delivered(lines=[(next(iter(self.sandbox.listings)), 2)])
        self.sandbox.create_return(delivery.flipkart_shipment_id, quantity=2)
        self.Returns._pull(self.account)
        receipt = self.receipts()
        receipt.move_ids.quantity = 1
        receipt.move_ids.picked = True
        receipt._action_done()  # the rest waits in a backorder
        rest = self.env["stock.picking"].search([("backorder_id", "=", receipt.id)])
        self.assertEqual(rest._flipkart_return_receipt(), receipt)
        rest.move_ids.quantity = 1
        rest.move_ids.picked = True
        rest._action_done()
        credits = receipt.flipkart_credit_note_id | rest.flipkart_credit_note_id
        self.assertEqual(len(credits), 2)
        self.assertEqual(
            credits.invoice_line_ids.filtered(
                lambda aml: aml.display_type == "product"
            ).mapped("quantity"),
            [1.0, 1.0],
        )

    def test_credit_note_posted_when_the_account_says_so(self):
        self.account.return_credit_note = "post"
        delivery = self.delivered()
        self.sandbox.create_return(delivery.flipkart_shipment_id)
        self.Returns._pull(self.account)
        receipt = self.receipts()
        self.receive(receipt)
        self.assertEqual(receipt.flipkart_credit_note_id.state, "posted")

    def test_courier_return_reverses_the_invoice(self):
        delivery = self.delivered(status="SHIPPED")
        self.sandbox.create_return(
            delivery.flipkart_shipment_id, source="courier_return"
        )
        self.Returns._pull(self.account)
        receipt = self.receipts()
        self.assertEqual(receipt.flipkart_return_source, "courier_return")
        self.receive(receipt)
        invoice = delivery.sale_id.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice"
        )
        self.assertAlmostEqual(
            receipt.flipkart_credit_note_id.amount_total, invoice.amount_total
        )

    def test_cancelled_on_flipkart(self):
        deliveries = self.delivered(2)
        waiting, received = (
            self.sandbox.create_return(d.flipkart_shipment_id) for d in deliveries
        )
        self.Returns._pull(self.account)
        by_id = {r.flipkart_return_id: r for r in self.receipts()}
        self.receive(by_id[received])
        self.sandbox.cancel_return(waiting)
        self.sandbox.cancel_return(received)
        self.Returns._pull(self.account)
        self.assertEqual(by_id[waiting].state, "cancel")
        self.assertEqual(by_id[received].state, "done")
        self.assertIn("goods were received", by_id[received].flipkart_message)
        self.assertTrue(by_id[received].activity_ids)

    def test_completed_on_flipkart_but_not_received_is_flagged(self):
        delivery = self.delivered()
        return_id = self.sandbox.create_return(delivery.flipkart_shipment_id)
        self.Returns._pull(self.account)
        self.sandbox.complete_return(return_id)
        self.Returns._pull(self.account)
        receipt = self.receipts()
        self.assertEqual(receipt.flipkart_return_state, "completed")
        self.assertEqual(
            receipt.flipkart_message, "Flipkart says returned; not received."
        )
        self.assertEqual(receipt.flipkart_flag, "return_not_received")
        self.assertNotEqual(receipt.state, "done")
        self.assertEqual(len(receipt.activity_ids), 1)
        # Flagged once, by its kind: a later sync (the note reworded, or in
        # another language) schedules no second To-Do.
        receipt.write(
            {
                "flipkart_message": "Retour non reçu",
                "flipkart_flag": "return_not_received",
            }
        )
        self.Returns._apply_state(receipt, "completed")
        self.assertEqual(len(receipt.activity_ids), 1)

    def test_return_sync_from_is_honoured(self):
        delivery = self.delivered()
        self.sandbox.create_return(delivery.flipkart_shipment_id)
        self.account.return_sync_from = "2099-01-01 00:00:00"
        self.Returns._pull(self.account)
        self.assertFalse(self.receipts())
        self.account.write({"return_sync_from": False, "return_cursor": False})
        self.Returns._pull(self.account)
        self.assertEqual(len(self.receipts()), 1)

    def test_completed_returns_pulled_only_when_asked(self):
        delivery = self.delivered()
        return_id = self.sandbox.create_return(delivery.flipkart_shipment_id)
        self.sandbox.complete_return(return_id)
        self.Returns._pull(self.account)
        self.assertFalse(self.receipts())
        self.account.write({"pull_completed_returns": True, "return_cursor": False})
        self.Returns._pull(self.account)
        self.assertEqual(self.receipts().flipkart_return_id, return_id)


@tagged("post_install", "-at_install")
class TestReturnProblems(ReturnCase):
    def test_return_for_a_shipment_not_in_odoo_waits_then_links(self):
        ids = self.sandbox.add_shipments(
            1, status="DELIVERED", location_id="LOC0001", hold=False
        )
        return_id = self.sandbox.create_return(ids[0])
        self.Returns._pull(self.account)
        self.assertFalse(self.receipts())
        event = self.env["flipkart.event"].search(
            [("kind", "=", "return_import"), ("account_id", "=", self.account.id)]
        )
        self.assertEqual(event.state, "error")
        self.assertIn("not in Odoo", event.last_error)
        self.assertIn(return_id, event.payload)
        # The order comes in (a delivered shipment: its delivery is done),
        # and the waiting return follows.
        self.env["flipkart.shipment.import"]._refresh(self.account, ids)
        self.assertEqual(self.receipts().flipkart_return_id, return_id)
        self.assertEqual(event.state, "done")

    def test_more_returned_than_delivered_is_refused_and_kept(self):
        delivery = self.delivered()
        return_id = self.sandbox.create_return(delivery.flipkart_shipment_id)
        with self.sandbox.lock:
            self.sandbox.returns[return_id]["quantity"] = 99
        self.Returns._pull(self.account)
        self.assertFalse(self.receipts())
        event = self.env["flipkart.event"].search(
            [("kind", "=", "return_import"), ("account_id", "=", self.account.id)]
        )
        self.assertIn("Refused", event.last_error)
        self.assertIn("99", event.payload)


@tagged("post_install", "-at_install")
class TestSelfShipReturns(ReturnCase):
    def test_approve_pickup_and_complete(self):
        picking = self.shipments(1, shipment_type="SELF", services=True)
        self.submit_wizard(
            "flipkart.self.ship.wizard",
            picking,
            courier_name="Delhivery",
            courier_code="DELHIVERY",
            tracking_id="DLV9",
            tentative_delivery_date="2099-01-01",
            invoice_number="INV/SELF/9",
            invoice_date=self.env.cr.now().date(),
        )
        self.sandbox.set_status(picking.flipkart_shipment_id, "DELIVERED")
        self.env["flipkart.shipment.import"]._refresh(
            self.account, [picking.flipkart_shipment_id]
        )
        self.assertEqual(picking.state, "done")
        return_id = self.sandbox.create_return(picking.flipkart_shipment_id)
        self.Returns._pull(self.account)
        receipt = self.receipts()
        self.assertTrue(receipt.flipkart_self_ship)

        def act(action, **values):
            self.submit_wizard(
                "flipkart.return.action.wizard", receipt, action=action, **values
            )
            self.assertFalse(receipt.flipkart_message, receipt.flipkart_message)

        act("approve", comments="Technician confirmed the defect")
        self.assertEqual(
            self.sandbox.returns[return_id]["approval"]["decision"], "approved"
        )
        act("pickup")
        self.assertEqual(
            self.sandbox.returns[return_id]["shipmentStatus"], "in_transit"
        )
        act("complete")
        self.assertEqual(self.sandbox.returns[return_id]["status"], "completed")
        self.assertEqual(receipt.flipkart_return_state, "completed")
        self.assertIn("sent to Flipkart", receipt.message_ids[0].body)

    def self_ship_delivered(self, status="DELIVERED"):
        picking = self.shipments(1, shipment_type="SELF")
        self.env["flipkart.fulfilment"]._self_ship(
            "dispatch",
            picking,
            self.env["flipkart.self.ship.wizard"].new(
                {
                    "courier_name": "Delhivery",
                    "courier_code": "DELHIVERY",
                    "tentative_delivery_date": "2099-01-01",
                    "invoice_number": "INV/SELF/10",
                    "invoice_date": self.env.cr.now().date(),
                }
            ),
        )
        if status == "DELIVERED":
            self.sandbox.set_status(picking.flipkart_shipment_id, "DELIVERED")
        self.env["flipkart.shipment.import"]._refresh(
            self.account, [picking.flipkart_shipment_id]
        )
        self.assertEqual(picking.state, "done")
        return picking

    def act(self, receipts, action, **values):
        wizard = self.env["flipkart.return.action.wizard"].create(
            dict(values, action=action, picking_ids=[(6, 0, receipts.ids)])
        )
        wizard.action_send()

    def test_reject_and_failed_pickup(self):
        first, second = self.self_ship_delivered(), self.self_ship_delivered()
        approved = self.sandbox.create_return(first.flipkart_shipment_id)
        rejected = self.sandbox.create_return(second.flipkart_shipment_id)
        self.Returns._pull(self.account)
        by_id = {r.flipkart_return_id: r for r in self.receipts()}
        receipt = by_id[approved]
        attempt = {"new_pickup_date": "2099-01-03", "reason": "door_locked"}
        # Flipkart's refusal is shown in its words on the receipt.
        self.act(receipt, "pickup_attempt", **attempt)
        self.assertIn("not approved", receipt.flipkart_message)
        self.act(receipt, "approve", comments="Defect confirmed")
        self.act(receipt, "pickup_attempt", **attempt)
        self.assertFalse(receipt.flipkart_message, receipt.flipkart_message)
        self.assertEqual(len(self.sandbox.return_pickup_attempts[approved]), 1)
        self.act(by_id[rejected], "reject", comments="No defect found")
        self.assertFalse(by_id[rejected].flipkart_message)
        self.assertEqual(
            self.sandbox.returns[rejected]["approval"]["decision"], "rejected"
        )

    def test_cancel_a_self_ship_rto(self):
        picking = self.self_ship_delivered(status="SHIPPED")
        return_id = self.sandbox.create_return(
            picking.flipkart_shipment_id, source="courier_return"
        )
        self.Returns._pull(self.account)
        receipt = self.receipts()
        self.act(receipt, "cancel")
        self.assertEqual(self.sandbox.returns[return_id]["status"], "cancelled")
        self.assertEqual(receipt.state, "cancel")

    def test_actions_refused_for_flipkart_courier_returns(self):
        delivery = self.delivered()
        self.sandbox.create_return(delivery.flipkart_shipment_id)
        self.Returns._pull(self.account)
        wizard = self.env["flipkart.return.action.wizard"].create(
            {"picking_ids": [(6, 0, self.receipts().ids)], "action": "complete"}
        )
        with self.assertRaisesRegex(Exception, "self-ship"):
            wizard.action_send()
