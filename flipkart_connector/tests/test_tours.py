"""The main flows a person does by hand, in a real browser (Chromium).

They need Chromium (Debian's ``chromium``) and an Odoo source with the web
client's bundled libraries (``scripts/setup`` adds them); without either
they are skipped with the reason. ``FLIPKART_SCREENSHOTS=<folder>`` also
saves the screens README shows (``scripts/screenshots``).
"""

import base64
import json
import os
import unittest
from pathlib import Path
from unittest.mock import patch

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser
from odoo.tools.misc import file_path

from .common import APP_ID, APP_SECRET, ReturnCase

SHOT_PREFIX = "flipkart-screenshot:"
DELIVERIES = "/odoo/action-stock.action_picking_tree_all"
BATCHES = "/odoo/action-stock_picking_batch.stock_picking_batch_action"


def _web_client_missing():
    try:
        file_path("web/static/lib/owl/owl.js")
    except FileNotFoundError:
        return (
            "the web client's libraries are missing from this Odoo source "
            "(web/static/lib): run scripts/setup, or "
            "shared/tools/odoo-web-libs/install ODOO_SOURCE_DIR"
        )
    return None


def _shooting_console(original, folder):
    """ChromeBrowser._handle_console that saves a screenshot when a tour
    logs ``flipkart-screenshot:<name>``, then tells the page it is done."""

    # Called with CDP's parameter names (type, args, stackTrace).
    # pylint: disable=redefined-builtin
    def handle(browser, type, args=None, stackTrace=None, **kw):  # noqa: A002
        text = args and str(browser._from_remoteobject(args[0]))
        if type != "log" or not text or not text.startswith(SHOT_PREFIX):
            return original(browser, type, args, stackTrace, **kw)
        name = text[len(SHOT_PREFIX) :]

        def saved(future):
            data = future.result()["data"]
            (folder / f"{name}.png").write_bytes(base64.b64decode(data))
            done = f"document.body.dataset.flipkartShot = {json.dumps(name)}"
            browser._websocket_send("Runtime.evaluate", params={"expression": done})

        browser._websocket_send(
            "Page.captureScreenshot", with_future=True
        ).add_done_callback(saved)

    return handle


@tagged("post_install", "-at_install")
class TestTours(ReturnCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        reason = _web_client_missing()
        if reason:
            raise unittest.SkipTest(f"Browser tours cannot run: {reason}.")
        super().setUpClass()
        # The tours log in as admin, in the seller's company, without
        # Odoo's onboarding tours (they would run beside ours).
        cls.env.ref("base.user_admin").write(
            {
                "company_ids": [Command.link(cls.company.id)],
                "company_id": cls.company.id,
                "tour_enabled": False,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Tour Steel Kettle", "default_code": "TOUR-KETTLE"}
        )

    def tour(self, url, name, **cookies):
        """Run a tour as admin; cookies pass it what only the test knows."""
        folder = os.environ.get("FLIPKART_SCREENSHOTS")
        handler = ChromeBrowser._handle_console
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            handler = _shooting_console(handler, Path(folder))
            cookies["flipkart_screenshots"] = "1"
        with patch.object(ChromeBrowser, "_handle_console", handler):
            self.start_tour(url, name, login="admin", timeout=180, cookies=cookies)

    def test_connect_an_account_with_the_setup_wizard(self):
        app_id = APP_ID + "-tour"
        self.sandbox.tokens.apps[app_id] = APP_SECRET
        self.tour(
            "/odoo",
            "flipkart_setup_wizard",
            flipkart_tour_host=self.server.base_url,
            flipkart_tour_app=app_id,
            flipkart_tour_secret=APP_SECRET,
        )
        account = self.env["flipkart.account"].search([("app_id", "=", app_id)])
        self.assertEqual(account.connection_state, "ok")
        self.assertEqual(account.location_ids.flipkart_location_id, "LOC0002")
        self.assertEqual(account.sudo().app_secret, APP_SECRET)

    def test_map_an_unmapped_sku(self):
        listing = self.env["flipkart.listing"].create(
            {"account_id": self.account.id, "seller_sku": "TOUR-SKU-1", "fsn": "FSN1"}
        )
        self.tour("/odoo", "flipkart_map_sku")
        self.assertEqual(listing.product_id, self.product)
        self.assertEqual(listing.mapping_source, "manual")

    def test_pack_and_print_a_label(self):
        held, picking = self.shipments(1, hold=True), self.shipments(1)
        self.tour(
            f"{DELIVERIES}/{held.id}",
            "flipkart_pack",
            flipkart_tour_next=f"{DELIVERIES}/{picking.id}",
        )
        self.assertEqual(held.flipkart_state, "APPROVED")
        self.assertEqual(picking.flipkart_state, "READY_TO_DISPATCH")
        self.assertTrue(picking.flipkart_label_ready)
        self.assertTrue(
            self.env["ir.attachment"].search_count(
                [
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "=", picking.id),
                    ("name", "=like", "Flipkart labels %"),
                ]
            )
        )

    def test_prefetch_labels_on_a_batch(self):
        pickings = self.shipments(3)
        batch = self.env["stock.picking.batch"].create(
            {"name": "TOUR-BATCH", "picking_ids": [Command.set(pickings.ids)]}
        )
        self.tour(
            f"/odoo/action-stock_picking_batch.stock_picking_batch_action/{batch.id}",
            "flipkart_prefetch",
        )
        self.assertTrue(all(pickings.mapped("flipkart_label_ready")))

    def test_download_a_manifest(self):
        self.account.rtd_at = "manifest"
        pickings = self.shipments(2)
        pickings.action_flipkart_pack()
        self.tour("/odoo", "flipkart_manifest")
        manifest = self.env["flipkart.manifest"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(len(manifest), 1)
        # The first courier's shipments (each may have its own courier).
        self.assertTrue(manifest.picking_ids)
        self.assertLessEqual(manifest.picking_ids, pickings)
        self.assertTrue(manifest.attachment_id)

    def test_self_ship_dispatch(self):
        picking = self.shipments(1, shipment_type="SELF")
        self.tour(
            f"/odoo/action-stock.action_picking_tree_all/{picking.id}",
            "flipkart_self_ship",
        )
        self.assertEqual(picking.flipkart_state, "SHIPPED", picking.flipkart_message)
        self.assertEqual(picking.flipkart_tracking_id, "TOURTRACK1")
        self.assertEqual(self.flipkart_status(picking), {"SHIPPED"})

    def test_receive_a_return(self):
        delivery = self.delivered()
        self.sandbox.create_return(delivery.flipkart_shipment_id)
        self.Returns._pull(self.account)
        receipt = self.receipts()
        self.tour(
            f"/odoo/action-stock.action_picking_tree_all/{receipt.id}",
            "flipkart_receive_return",
        )
        self.assertEqual(receipt.state, "done")
        self.assertTrue(receipt.flipkart_credit_note_id)
