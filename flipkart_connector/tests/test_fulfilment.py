import time
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from ..flipkart import FlipkartUnavailableError
from ..flipkart.client import FlipkartClient
from .common import FulfilmentCase, pdf_pages, shown_on_form


@tagged("post_install", "-at_install")
class TestPackAndLabels(FulfilmentCase):
    def test_chain_from_order_to_delivered_with_rtd_at_pack(self):
        pickings = self.shipments(3)
        self.sandbox.label_delay = 600
        self.sandbox.reset_calls()
        pickings.action_flipkart_pack()
        self.assertEqual(
            set(pickings.mapped("flipkart_state")), {"PACKING_IN_PROGRESS"}
        )
        self.assertEqual(self.calls("POST", "/v3/shipments/labels"), 1)
        for picking in pickings:
            self.assertEqual(self.flipkart_status(picking), {"PACKING_IN_PROGRESS"})
        # Still generating: no label, no error, nothing to retry.
        self.Fulfilment._cron_fetch_documents()
        self.assertFalse(any(pickings.mapped("flipkart_label_ready")))
        self.assertFalse(any(pickings.mapped("flipkart_message")))
        self.assertFalse(
            self.env["flipkart.event"].search(
                [("account_id", "=", self.account.id), ("state", "=", "error")]
            )
        )
        # Flipkart finishes the labels (its delay is not ours).
        self.clock.offset = 700
        self.sandbox.reset_calls()
        self.Fulfilment._cron_fetch_documents()
        for picking in pickings:
            self.assertTrue(picking.flipkart_label_ready)
            self.assertTrue(picking.flipkart_tracking_id)
            self.assertTrue(picking.flipkart_courier)
            pages = pdf_pages(picking.flipkart_label_attachment_id)
            # Its own pages only, cut out of the merged document.
            self.assertTrue(any(picking.flipkart_shipment_id in p for p in pages))
            others = (pickings - picking).mapped("flipkart_shipment_id")
            self.assertFalse(any(o in p for o in others for p in pages))
            self.assertEqual(picking.flipkart_state, "READY_TO_DISPATCH")
            self.assertEqual(self.flipkart_status(picking), {"READY_TO_DISPATCH"})
            self.assertTrue(picking.flipkart_invoice_number)
        # One call each for 3 shipments: states, details, labels, RTD, invoices.
        self.assertEqual(self.calls("GET", "/labels"), 1)
        self.assertEqual(self.calls("POST", "/v3/shipments/dispatch"), 1)
        # The courier picks up: Odoo follows Flipkart, not the other way round.
        first = pickings[0]
        self.assertNotEqual(first.state, "done")
        self.sandbox.set_status(first.flipkart_shipment_id, "PICKUP_COMPLETE")
        self.env["flipkart.shipment.import"]._refresh(
            self.account, [first.flipkart_shipment_id]
        )
        self.assertEqual(first.state, "done")
        self.assertIn(first.flipkart_tracking_id, first.message_ids[0].body)
        self.sandbox.set_status(first.flipkart_shipment_id, "DELIVERED")
        self.env["flipkart.shipment.import"]._refresh(
            self.account, [first.flipkart_shipment_id]
        )
        self.assertEqual(first.flipkart_state, "DELIVERED")
        self.assertTrue(first.flipkart_delivered_at)

    def test_flipkart_invoice_becomes_the_odoo_invoice(self):
        self.account.invoice_creation = "post"
        pickings = self.shipments(3)
        pickings.action_flipkart_pack()
        for picking in pickings:
            invoice = picking.sale_id.invoice_ids
            self.assertEqual(len(invoice), 1)
            self.assertEqual(invoice.ref, picking.flipkart_invoice_number)
            self.assertEqual(invoice.invoice_date, picking.flipkart_invoice_date)
            self.assertFalse(
                invoice.flipkart_invoice_mismatch, invoice.flipkart_mismatch_reason
            )
            self.assertEqual(invoice.state, "posted")
            flipkart = self.sandbox.invoices[picking.flipkart_shipment_id]
            self.assertAlmostEqual(
                invoice.amount_total,
                sum(i["invoiceAmount"] for i in flipkart["orderItems"]),
                places=2,
            )
            self.assertTrue(pdf_pages(invoice.message_main_attachment_id))

    def test_a_warehouse_user_packs_and_the_invoice_follows(self):
        self.account.invoice_creation = "draft"
        user = new_test_user(
            self.env,
            "fk_packer",
            groups="stock.group_stock_user,flipkart_connector.group_flipkart_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        picking = self.shipments(1).with_user(user)
        picking.action_flipkart_pack()
        self.assertTrue(picking.flipkart_label_ready)
        self.assertEqual(
            picking.sudo().sale_id.invoice_ids.ref, picking.flipkart_invoice_number
        )

    def test_an_unsplittable_pdf_is_fetched_per_shipment(self):
        pickings = self.shipments(2)
        self.sandbox.reset_calls()
        with patch(
            "odoo.addons.flipkart_connector.models.flipkart_fulfilment.split_pages",
            return_value={},
        ):
            pickings.action_flipkart_pack()
        # One merged call, then one per shipment no page named: never the
        # whole batch on one delivery.
        self.assertEqual(self.calls("GET", "/labels"), 3)
        for picking in pickings:
            pages = pdf_pages(picking.flipkart_label_attachment_id)
            others = (pickings - picking).mapped("flipkart_shipment_id")
            self.assertFalse(any(o in p for o in others for p in pages))

    def test_seller_invoiced_first_is_not_a_mismatch(self):
        self.account.invoice_creation = "draft"
        picking = self.shipments(1)
        order = picking.sale_id
        invoice = order._create_invoices()
        invoice.action_post()
        picking.action_flipkart_pack()
        self.assertEqual(picking.flipkart_invoice_number, invoice.name)
        self.assertEqual(order.invoice_ids, invoice)
        self.assertFalse(
            invoice.flipkart_invoice_mismatch, invoice.flipkart_mismatch_reason
        )

    def test_only_flipkart_users_pack(self):
        user = new_test_user(
            self.env,
            "fk_outsider",
            groups="stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        picking = self.shipments(1)
        with self.assertRaises(AccessError):
            picking.with_user(user).action_flipkart_pack()

    def test_pack_sends_gst_rate_and_quantities(self):
        picking = self.shipments(1)
        picking.action_flipkart_pack()
        invoice = self.sandbox.invoices[picking.flipkart_shipment_id]
        lines = picking.sale_id.order_line.filtered("flipkart_order_item_id")
        self.assertEqual(
            {i["orderItemId"]: i["taxRate"] for i in invoice["orderItems"]},
            {line.flipkart_order_item_id: 18.0 for line in lines},
        )

    def test_pack_batches_of_25(self):
        pickings = self.shipments(30)
        self.sandbox.reset_calls()
        pickings.action_flipkart_pack()
        self.assertEqual(self.calls("POST", "/v3/shipments/labels"), 2)
        # Labels for all 30 in one PDF call.
        self.assertEqual(self.calls("GET", "/labels"), 1)
        self.assertTrue(all(pickings.mapped("flipkart_label_ready")))

    def test_a_held_shipment_is_made_ready_to_dispatch_once_released(self):
        """Flipkart may hold a shipment while its labels are made: it is
        not marked ready to dispatch until the hold is lifted (found by the
        soak test: Flipkart refused it)."""
        picking = self.shipments(1)
        self.sandbox.label_delay = 600
        picking.action_flipkart_pack()
        self.sandbox.hold(picking.flipkart_shipment_id)
        self.clock.offset = 700
        self.sandbox.reset_calls()
        self.Fulfilment._cron_fetch_documents()
        self.assertTrue(picking.flipkart_label_ready)
        self.assertTrue(picking.flipkart_hold)
        self.assertEqual(picking.flipkart_state, "PACKED")
        self.assertEqual(self.calls("POST", "/v3/shipments/dispatch"), 0)
        # The hold is lifted: the shipment_unhold notification re-reads it.
        self.sandbox.unhold(picking.flipkart_shipment_id)
        self.env["flipkart.shipment.import"]._refresh(
            self.account, [picking.flipkart_shipment_id]
        )
        self.assertEqual(picking.flipkart_state, "READY_TO_DISPATCH")
        self.assertEqual(self.flipkart_status(picking), {"READY_TO_DISPATCH"})

    def test_refusals_are_explained_on_the_delivery(self):
        held = self.shipments(1, hold=True)
        later = self.shipments(1, dispatch_after_date=time.time() + 86400)
        cancelled = self.shipments(1)
        self.sandbox.cancel_items(cancelled.flipkart_shipment_id)
        self.sandbox.reset_calls()
        (held | later | cancelled).action_flipkart_pack()
        self.assertIn("On hold", held.flipkart_message)
        self.assertTrue(held.flipkart_pack_queued)  # packed once released
        self.assertIn("allows packing from", later.flipkart_message)
        # Flipkart refused the cancelled one: Odoo re-read it and followed.
        self.assertIn("Cancelled on Flipkart", cancelled.flipkart_message)
        self.assertEqual(cancelled.sale_id.state, "cancel")
        self.assertEqual(self.calls("POST", "/v3/shipments/labels"), 1)

    def test_delivery_form_offers_what_can_be_done_now(self):
        """A held delivery offers no Pack; the label and invoice groups
        appear once there is something in them."""
        held, ready = self.shipments(1, hold=True), self.shipments(1)
        header = "/form/header/button"
        groups = "//page[@name='flipkart']/group/group[@string]"
        self.assertNotIn("Pack on Flipkart", shown_on_form(held, header))
        self.assertIn("Pack on Flipkart", shown_on_form(ready, header))
        self.assertNotIn("Label and Handover", shown_on_form(ready, groups))
        self.assertNotIn("Invoice", shown_on_form(ready, groups))
        ready.action_flipkart_pack()
        self.assertTrue(ready.flipkart_invoice_number)
        self.assertNotIn("Pack on Flipkart", shown_on_form(ready, header))
        self.assertIn("Print Flipkart Label", shown_on_form(ready, header))
        self.assertIn("Label and Handover", shown_on_form(ready, groups))
        self.assertIn("Invoice", shown_on_form(ready, groups))

    def test_partial_cancellation_found_at_pack(self):
        picking = self.shipments(1, lines=[(next(iter(self.sandbox.listings)), 3)])
        item = self.sandbox.shipments[picking.flipkart_shipment_id]["orderItems"][0]
        self.sandbox.cancel_items(
            picking.flipkart_shipment_id, {item["orderItemId"]: 1}
        )
        picking.action_flipkart_pack()
        self.assertIn("cancelled part", picking.flipkart_message)
        self.assertEqual(picking.sale_id.order_line[0].product_uom_qty, 2)
        self.assertTrue(picking.flipkart_pack_queued)
        self.Fulfilment._cron_fetch_documents()
        self.assertTrue(picking.flipkart_label_ready)
        self.assertFalse(picking.flipkart_message)

    def test_partial_cancellation_applied_while_the_pack_was_on_its_way(self):
        """The cancellation's notification lowered the order while the pack
        (with the old quantity) was being sent: refused, then packed again
        (found by the soak test)."""
        picking = self.shipments(1, lines=[(next(iter(self.sandbox.listings)), 3)])
        item = self.sandbox.shipments[picking.flipkart_shipment_id]["orderItems"][0]
        self.sandbox.cancel_items(
            picking.flipkart_shipment_id, {item["orderItemId"]: 1}
        )
        Fulfilment = type(self.Fulfilment)
        send = Fulfilment._send_pack

        def meanwhile(self_, client, payload):
            self.env["flipkart.shipment.import"]._refresh(
                self.account, [picking.flipkart_shipment_id]
            )
            return send(self_, client, payload)

        with patch.object(Fulfilment, "_send_pack", meanwhile):
            picking.action_flipkart_pack()
        self.assertEqual(picking.sale_id.order_line[0].product_uom_qty, 2)
        self.assertIn("cancelled part", picking.flipkart_message)
        self.assertTrue(picking.flipkart_pack_queued)
        self.Fulfilment._cron_fetch_documents()
        self.assertTrue(picking.flipkart_label_ready)

    def test_partial_cancellation_found_at_pack_while_flipkart_is_down(self):
        """The re-read that would say why the pack was refused fails (found
        by the soak test): the delivery is packed again on the next run
        instead of waiting for a person."""
        picking = self.shipments(1, lines=[(next(iter(self.sandbox.listings)), 3)])
        item = self.sandbox.shipments[picking.flipkart_shipment_id]["orderItems"][0]
        self.sandbox.cancel_items(
            picking.flipkart_shipment_id, {item["orderItemId"]: 1}
        )
        Import = type(self.env["flipkart.shipment.import"])
        down = FlipkartUnavailableError("Flipkart is down")
        with (
            patch.object(Import, "_refresh", side_effect=down),
            mute_logger("odoo.addons.flipkart_connector.models.flipkart_fulfilment"),
        ):
            picking.action_flipkart_pack()
        self.assertIn("refused to pack", picking.flipkart_message)
        self.assertTrue(picking.flipkart_pack_queued)
        # Next runs: refused again, understood, lowered, packed.
        self.Fulfilment._cron_fetch_documents()
        self.Fulfilment._cron_fetch_documents()
        self.assertEqual(picking.sale_id.order_line[0].product_uom_qty, 2)
        self.assertTrue(picking.flipkart_label_ready)

    def test_flipkart_down_is_retried_and_said(self):
        picking = self.shipments(1)
        self.sandbox.faults.set(
            rate_dependent=1.0, only_paths="/sellers/v3/shipments/labels"
        )
        picking.action_flipkart_pack()
        self.assertEqual(picking.flipkart_message, "Flipkart unavailable, will retry.")
        self.assertEqual(picking.flipkart_flag, "retry_pending")
        event = self.env["flipkart.event"].search(
            [("kind", "=", "pack"), ("account_id", "=", self.account.id)]
        )
        self.assertEqual(event.state, "error")
        self.assertTrue(event.retry_at)
        self.assertEqual(event.error_code, "DEPENDENT_SYSTEM_CALL_FAILED")
        self.sandbox.faults.clear()
        event.action_retry()
        self.assertEqual(event.state, "done")
        self.assertFalse(event.error_code)
        self.assertFalse(picking.flipkart_message)
        self.assertFalse(picking.flipkart_flag)
        self.assertIn(picking.flipkart_state, ("PACKING_IN_PROGRESS", "PACKED"))

    def test_a_pending_retry_is_known_by_its_flag_not_its_words(self):
        picking = self.shipments(1)
        self.sandbox.faults.set(
            rate_dependent=1.0, only_paths="/sellers/v3/shipments/dispatch"
        )
        picking.action_flipkart_pack()
        self.Fulfilment._cron_fetch_documents()
        self.assertEqual(picking.flipkart_state, "PACKED")
        self.assertEqual(picking.flipkart_flag, "retry_pending")
        self.sandbox.faults.clear()
        # The note in another language (or reworded) changes nothing: the
        # failed event retries itself, no second ready-to-dispatch is sent.
        picking.write(
            {
                "flipkart_message": "Flipkart indisponible",
                "flipkart_flag": "retry_pending",
            }
        )
        self.assertFalse(self.Fulfilment._ready_to_dispatch(picking))
        # A note without the flag (any other news) ends the wait.
        picking.flipkart_message = "Flipkart unavailable, will retry."
        self.assertFalse(picking.flipkart_flag)
        self.assertEqual(self.Fulfilment._ready_to_dispatch(picking), picking)

    def test_an_unexpected_error_reaches_the_user_in_words(self):
        picking = self.shipments(1)
        picking.action_flipkart_pack()
        with (
            patch.object(
                FlipkartClient, "get_label_only_pdf", side_effect=ValueError("no pages")
            ),
            mute_logger("odoo.addons.flipkart_connector.models.flipkart_account"),
        ):
            with self.assertRaisesRegex(UserError, "Unexpected error: no pages"):
                picking.action_flipkart_reprint_label()

    def test_dry_run_sends_nothing(self):
        picking = self.shipments(1)
        self.account.dry_run = True
        self.sandbox.reset_calls()
        picking.action_flipkart_pack()
        self.assertEqual(self.calls("POST", "/v3/shipments/labels"), 0)
        self.assertIn("Dry run", picking.flipkart_message)

    def test_print_and_reprint(self):
        pickings = self.shipments(2)
        pickings.action_flipkart_pack()
        action = pickings.action_flipkart_print_label()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        pages = pdf_pages(attachment)
        for picking in pickings:
            self.assertTrue(any(picking.flipkart_shipment_id in p for p in pages))
        self.sandbox.reset_calls()
        action = pickings.action_flipkart_reprint_label()
        self.assertEqual(self.calls("POST", "/labelOnly/pdf"), 1)
        self.assertTrue(action["url"].startswith("/web/content/"))
        # Odoo's own slip when the marketplace label is not used.
        self.account.use_marketplace_label = False
        action = pickings.with_context(
            discard_logo_check=True
        ).action_flipkart_print_label()
        self.assertEqual(action["report_name"], "stock.report_deliveryslip")


@tagged("post_install", "-at_install")
class TestPackingOptions(FulfilmentCase):
    def stock(self, pickings):
        products = pickings.move_ids.product_id
        for product in products:
            self.env["stock.quant"]._update_available_quantity(
                product, self.warehouse.lot_stock_id, 100
            )

    def test_pack_at_reservation(self):
        self.account.pack_on = "reservation"
        pickings = self.shipments(2)
        self.stock(pickings)
        pickings.action_assign()
        self.assertTrue(all(pickings.mapped("flipkart_pack_queued")))
        self.Fulfilment._cron_fetch_documents()
        self.assertFalse(any(pickings.mapped("flipkart_pack_queued")))
        self.assertTrue(all(pickings.mapped("flipkart_label_ready")))

    def test_validating_claims_no_handover(self):
        self.account.pack_on = "pick"
        picking = self.shipments(1)
        self.stock(picking)
        picking.action_assign()
        self.sandbox.reset_calls()
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        # Nothing sent: Flipkart still has the shipment APPROVED; the pick
        # being validated only queues the pack.
        self.assertEqual(len(self.sandbox.calls), 0)
        self.assertEqual(picking.flipkart_state, "APPROVED")
        self.assertTrue(picking.flipkart_pack_queued)
        self.assertIn("nothing was sent to Flipkart", picking.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestManifestAndPrefetch(FulfilmentCase):
    def test_rtd_at_manifest(self):
        self.account.rtd_at = "manifest"
        pickings = self.shipments(3)
        pickings.action_flipkart_pack()
        self.assertEqual(set(pickings.mapped("flipkart_state")), {"PACKED"})
        self.assertEqual(self.calls("POST", "/v3/shipments/dispatch"), 0)
        location = self.account.location_ids[0]
        # One account with one location: nothing to choose.
        wizard = Form(self.env["flipkart.manifest.wizard"])
        self.assertEqual(wizard.account_id, self.account)
        self.assertEqual(wizard.location_id, location)
        self.assertIn("(LOC0001)", location.display_name)
        wizard = wizard.save()
        wizard.action_load_couriers()
        self.assertIn("Download Manifest", shown_on_form(wizard))
        self.assertEqual(set(pickings.mapped("flipkart_state")), {"READY_TO_DISPATCH"})
        self.assertEqual(sum(wizard.line_ids.mapped("count")), 3)
        manifests = self.env["flipkart.manifest"]
        for line in wizard.line_ids:
            wizard.vendor_line_id = line
            action = wizard.action_download()
            manifests |= manifests.browse(action["res_id"])
        self.assertEqual(manifests.picking_ids, pickings)
        for manifest in manifests:
            text = "".join(pdf_pages(manifest.attachment_id))
            for picking in manifest.picking_ids:
                self.assertIn(picking.flipkart_shipment_id, text)

    def test_no_courier_offers_to_ask_again_only(self):
        wizard = Form(self.env["flipkart.manifest.wizard"]).save()
        self.assertEqual(shown_on_form(wizard), ["Find Couriers", "Close"])
        wizard.action_load_couriers()
        self.assertIn("no shipment ready to hand over", wizard.note)
        self.assertEqual(shown_on_form(wizard), ["Find Couriers Again", "Close"])
        self.assertFalse(shown_on_form(wizard, "//field[@name='vendor_line_id']/.."))
        with self.assertRaisesRegex(UserError, "Choose the courier"):
            wizard.action_download()

    def test_prefetch_on_batch(self):
        pickings = self.shipments(3)
        held = self.shipments(1, hold=True)
        batch = self.env["stock.picking.batch"].create(
            {"picking_ids": [(6, 0, (pickings | held).ids)]}
        )
        action = batch.action_flipkart_prefetch()
        wizard = self.env["flipkart.prefetch.wizard"].browse(action["res_id"])
        self.assertEqual(len(wizard.line_ids), 4)
        self.sandbox.label_delay = 600
        wizard.action_start()
        self.assertEqual(wizard.ready_count, 0)
        self.assertEqual(wizard.failed_count, 1)
        self.assertIn("On hold", held.flipkart_message)
        self.clock.offset = 700
        wizard.action_refresh()
        self.assertEqual(wizard.ready_count, 3)
        self.assertEqual(round(wizard.progress), 75)
        self.assertTrue(all(pickings.mapped("flipkart_invoice_number")))
        action = wizard.action_print()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual(len(pdf_pages(attachment)), 6)  # label + invoice each


@tagged("post_install", "-at_install")
class TestFormsAndSelfShip(FulfilmentCase):
    def test_form_failed_then_ack(self):
        picking = self.shipments(1)
        self.sandbox.fail_forms(picking.flipkart_shipment_id, ["Form 38"])
        picking.action_flipkart_pack()
        self.assertEqual(picking.flipkart_state, "FORM_FAILED")
        self.assertEqual(picking.flipkart_form_names, "Form 38")
        self.assertIn("Form 38", picking.flipkart_message)
        self.assertFalse(picking.flipkart_label_ready)
        picking.flipkart_form_ack = "ACK123456"
        picking.action_flipkart_send_form_ack()
        self.Fulfilment._collect_documents(picking)
        self.assertEqual(picking.flipkart_state, "READY_TO_DISPATCH")
        self.assertTrue(picking.flipkart_label_ready)

    def test_self_ship_dispatch_attempt_delivery(self):
        picking = self.shipments(1, shipment_type="SELF")
        self.assertTrue(picking.flipkart_self_ship)
        picking.action_flipkart_pack()
        self.assertIn("Self-ship", picking.flipkart_message)

        def send(action, **values):
            self.submit_wizard(
                "flipkart.self.ship.wizard", picking, action=action, **values
            )

        send(
            "dispatch",
            courier_name="Delhivery",
            courier_code="DELHIVERY",
            tracking_id="DLV123",
            tentative_delivery_date="2099-01-01",
            invoice_number="INV/SELF/1",
            invoice_date=self.env.cr.now().date(),
        )
        self.assertEqual(picking.flipkart_state, "SHIPPED", picking.flipkart_message)
        self.assertEqual(self.flipkart_status(picking), {"SHIPPED"})
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.flipkart_tracking_id, "DLV123")
        send(
            "attempt",
            attempt_reason="customer_not_available",
            new_delivery_date="2099-01-02",
        )
        self.assertEqual(
            len(self.sandbox.delivery_attempts[picking.flipkart_shipment_id]), 1
        )
        self.assertIn("Delivery attempt failed", picking.message_ids[0].body)
        send("delivery")
        self.assertEqual(picking.flipkart_state, "DELIVERED")
        # Its invoice is fetched once; then nothing is left to do for it.
        self.Fulfilment._cron_fetch_documents()
        self.assertTrue(picking.flipkart_invoice_number)
        self.assertNotIn(picking, self.Fulfilment._document_candidates(self.account))
        self.assertEqual(self.flipkart_status(picking), {"DELIVERED"})

    def test_service_completion(self):
        picking = self.shipments(1, shipment_type="SELF", services=True)
        sid = picking.flipkart_shipment_id
        self.sandbox.set_status(sid, "SHIPPED")
        self.sandbox.set_status(sid, "DELIVERED")
        wizard = self.env["flipkart.self.ship.wizard"].create(
            {"picking_ids": [(6, 0, picking.ids)], "action": "service_complete"}
        )
        wizard.action_send()
        self.assertEqual(self.flipkart_status(picking), {"COMPLETED"})
        self.assertIn("Service completion sent", picking.message_ids[0].body)

    def test_self_ship_refused_for_flipkart_shipments(self):
        picking = self.shipments(1)
        wizard = self.env["flipkart.self.ship.wizard"].create(
            {"picking_ids": [(6, 0, picking.ids)], "action": "delivery"}
        )
        with self.assertRaisesRegex(Exception, "self-ship"):
            wizard.action_send()
