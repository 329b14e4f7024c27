import copy
import io
import time
from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.tests import Form, TransactionCase, new_test_user
from odoo.tools.pdf import PdfFileReader
from odoo.tools.safe_eval import safe_eval

from odoo.addons.flipkart_sandbox.simulator import Sandbox, SandboxServer

from ..flipkart import RetryPolicy
from ..flipkart.const import ORDER_IMPORT_STATES

APP_ID = "test-app"
APP_SECRET = "test-secret-7f3a9c"


class ShiftableClock:
    """Real time plus an offset tests can move forward."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self):
        return time.time() + self.offset


class FlipkartSandboxCase(TransactionCase):
    """An Indian seller company, its Flipkart account and the sandbox.

    The sandbox is a real HTTP server on 127.0.0.1 (Odoo's test classes let
    loopback through); client retries are made instant so fault tests stay
    quick while still counting every attempt.
    """

    sandbox_options = {"shipments": 5, "listings": 20}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clock = ShiftableClock()
        cls.sandbox = Sandbox(
            seed=7,
            locations=("LOC0001", "LOC0002"),
            apps={APP_ID: APP_SECRET},
            clock=cls.clock,
            **cls.sandbox_options,
        )
        cls.sandbox_state = copy.deepcopy((cls.sandbox.listings, cls.sandbox.shipments))
        cls.server = SandboxServer(cls.sandbox, host="127.0.0.1", port=0)
        cls.server.start()
        cls.addClassCleanup(cls.server.stop)
        cls.company = cls.env["res.company"].create(
            {
                "name": "Flipkart Test Seller Pvt Ltd",
                "country_id": cls.env.ref("base.in").id,
                "state_id": cls.env.ref("base.state_in_ka").id,
            }
        )
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=[cls.company.id],
                tracking_disable=True,
            )
        )
        cls.env.user.company_ids |= cls.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.account = cls.env["flipkart.account"].create(
            {
                "name": "Test Flipkart",
                "company_id": cls.company.id,
                "environment": "sandbox",
                "api_base_url": cls.server.base_url,
                "seller_id": "TESTSELLER",
                "app_id": APP_ID,
                "app_secret": APP_SECRET,
                "location_ids": [
                    Command.create(
                        {
                            "flipkart_location_id": "LOC0001",
                            "warehouse_id": cls.warehouse.id,
                        }
                    )
                ],
            }
        )

        # Demo products share the sandbox's SKU codes: keep tests independent.
        cls.env["product.product"].search(
            [
                "|",
                ("default_code", "=like", "SKU-%"),
                ("default_code", "=like", "RFB-%"),
            ]
        ).write({"default_code": False})
        # Scheduled actions work through every account: keep only ours.
        cls.env["flipkart.account"].search(
            [("id", "!=", cls.account.id)]
        ).active = False

    def setUp(self):
        super().setUp()
        self.clock.offset = 0.0
        # The database is rolled back after each test; so is the sandbox.
        with self.sandbox.lock:
            listings, shipments = copy.deepcopy(self.sandbox_state)
            self.sandbox.listings.clear()
            self.sandbox.listings.update(listings)
            self.sandbox.shipments.clear()
            self.sandbox.shipments.update(shipments)
        self.sandbox.faults.clear()
        self.sandbox.reset_calls()
        fast = RetryPolicy(max_attempts=3, base=0.001, cap=0.01)
        self.startPatcher(
            patch.object(
                type(self.env["flipkart.account"]),
                "_flipkart_client_options",
                lambda account: {"retry": fast, "sleep": lambda _seconds: None},
            )
        )

    @classmethod
    def seller_user(cls, login, groups, company=None):
        """A user of the seller's company (or of ``company``) with these groups."""
        company = company or cls.company
        return new_test_user(
            cls.env,
            login,
            groups=groups,
            company_id=company.id,
            company_ids=[company.id],
        )

    def pull_listings(self):
        """Pull the account's SKUs; the listings it holds, or none when the
        pull stopped (Flipkart down: the reason is on the account)."""
        counts = self.env["flipkart.listing.sync"]._pull(self.account)
        if not any(counts.values()):
            return self.env["flipkart.listing"]
        return self.env["flipkart.listing"].search(
            [("account_id", "=", self.account.id), ("missing_on_flipkart", "=", False)]
        )

    def token_calls(self):
        return self.sandbox.count(path_prefix="/oauth-service/oauth/token")


class FlipkartOrderCase(FlipkartSandboxCase):
    """A seller in Karnataka with the Indian chart, its SKUs mapped."""

    sandbox_options = {"shipments": 30, "listings": 20}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "in", company=cls.company, install_demo=False
        )
        cls.warehouse.partner_id.state_id = cls.env.ref("base.state_in_ka")
        skus = list(cls.sandbox.listings)
        products = cls.env["product.product"].create(
            [{"name": f"Product {sku}", "is_storable": True} for sku in skus]
        )
        cls.env["flipkart.listing"].create(
            [
                {
                    "account_id": cls.account.id,
                    "seller_sku": sku,
                    "fsn": cls.sandbox.listings[sku]["product_id"],
                    "product_id": product.id,
                    "tax_rate": 18.0,
                }
                for sku, product in zip(skus, products, strict=True)
            ]
        )
        cls.Order = cls.env["sale.order"]

    def expected_ids(self, location="LOC0001"):
        """Shipments a pull should import: this location, importable state."""
        return {
            sid
            for sid, sh in self.sandbox.shipments.items()
            if sh["locationId"] == location
            and any(i["status"] in ORDER_IMPORT_STATES for i in sh["orderItems"])
        }

    def orders(self):
        return self.Order.search([("flipkart_account_id", "=", self.account.id)])


def shown_on_form(record, where="//footer/button"):
    """The labels (``string``) of the elements at ``where`` that the web
    client shows on ``record``'s form: their ``invisible`` expressions, and
    their ancestors', evaluated on the record's values as it does."""
    arch = etree.fromstring(record.get_view(view_type="form")["arch"])
    values = {"context": record.env.context, "uid": record.env.uid, "id": record.id}
    for name, field in record._fields.items():
        value = record[name]
        if field.type == "many2one":
            value = value.id
        elif field.type in ("one2many", "many2many"):
            value = value.ids
        values[name] = value

    def shown(node):
        while node is not None:
            expression = node.get("invisible")
            if expression and safe_eval(expression, dict(values)):
                return False
            node = node.getparent()
        return True

    return [node.get("string") for node in arch.xpath(where) if shown(node)]


def pdf_pages(attachment):
    """Open a stored PDF as a reader would: fails on anything but a PDF."""
    reader = PdfFileReader(io.BytesIO(attachment.raw), strict=False)
    return [page.extract_text() or "" for page in reader.pages]


class FulfilmentCase(FlipkartOrderCase):
    def setUp(self):
        super().setUp()
        self.sandbox.reset_fulfilment()
        self.sandbox.label_delay = 0.0
        self.account.write(
            {"pack_on": "manual", "rtd_at": "pack", "invoice_creation": "off"}
        )
        self.Fulfilment = self.env["flipkart.fulfilment"]

    def shipments(self, n=2, **overrides):
        """New actionable shipments at LOC0001, imported; their deliveries."""
        values = {
            "status": "APPROVED",
            "location_id": "LOC0001",
            "hold": False,
            "dispatch_after_date": time.time() - 3600,
        }
        values.update(overrides)
        ids = self.sandbox.add_shipments(n, **values)
        self.env["flipkart.shipment.import"]._refresh(self.account, ids)
        pickings = self.env["stock.picking"].search(
            [("flipkart_shipment_id", "in", ids)]
        )
        self.assertEqual(len(pickings), n)
        return pickings

    def submit_wizard(self, model, records, **values):
        """Fill a wizard opened on ``records`` through its real form, send it."""
        form = Form(
            self.env[model].with_context(
                active_model=records._name, active_ids=records.ids
            )
        )
        for name, value in values.items():
            setattr(form, name, value)
        form.save().action_send()

    def calls(self, method, fragment):
        return len(
            [
                c
                for c in self.sandbox.calls
                if c["method"] == method and fragment in c["path"]
            ]
        )

    def flipkart_status(self, picking):
        items = self.sandbox.shipments[picking.flipkart_shipment_id]["orderItems"]
        return {i["status"] for i in items if i["status"] != "CANCELLED"}


class ReturnCase(FulfilmentCase):
    def setUp(self):
        super().setUp()
        self.sandbox.reset_returns()
        self.account.write(
            {
                "invoice_creation": "post",
                "return_credit_note": "draft",
                "pull_completed_returns": False,
                "return_sync_from": False,
                "return_cursor": False,
            }
        )
        self.Returns = self.env["flipkart.return.import"]

    def delivered(self, n=1, status="DELIVERED", **overrides):
        """Deliveries packed, invoiced (posted) and handed over."""
        pickings = self.shipments(n, **overrides)
        pickings.action_flipkart_pack()
        for picking in pickings:
            for step in ("PICKUP_COMPLETE", "SHIPPED", "DELIVERED"):
                self.sandbox.set_status(picking.flipkart_shipment_id, step)
                if step == status:
                    break
        self.env["flipkart.shipment.import"]._refresh(
            self.account, pickings.mapped("flipkart_shipment_id")
        )
        self.assertEqual(set(pickings.mapped("state")), {"done"})
        for picking in pickings:
            self.assertEqual(picking.sale_id.invoice_ids.state, "posted")
        return pickings

    def receipts(self):
        return self.env["stock.picking"].search(
            [
                ("flipkart_account_id", "=", self.account.id),
                ("flipkart_return_id", "!=", False),
            ]
        )

    def receive(self, receipt):
        for move in receipt.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")


class InventoryCase(FlipkartOrderCase):
    def setUp(self):
        super().setUp()
        self.account.write(
            {
                "inventory_sync": True,
                "inventory_sync_method": "delta",
                "inventory_buffer": 0,
                "dry_run": False,
            }
        )
        self.Inventory = self.env["flipkart.inventory"]
        self.listings = self.env["flipkart.listing"].search(
            [("account_id", "=", self.account.id)], order="seller_sku"
        )
        self.location = self.account.location_ids
        self.stock = self.warehouse.lot_stock_id

    def set_stock(self, listing, quantity):
        self.env["stock.quant"]._update_available_quantity(
            listing.product_id, self.stock, quantity
        )

    def reserve(self, listing, quantity):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": self.stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "reserve",
                            "product_id": listing.product_id.id,
                            "product_uom_qty": quantity,
                            "location_id": self.stock.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def calls(self, fragment):
        return len([c for c in self.sandbox.calls if fragment in c["path"]])

    def line(self, listing):
        return listing.location_line_ids.filtered(
            lambda line: line.location_id == self.location
        )

    def flipkart_stock(self, listing, location="LOC0001"):
        locations = self.sandbox.listings[listing.seller_sku]["locations"]
        return next(loc for loc in locations if loc["id"] == location)


class GstCase(FlipkartSandboxCase):
    """A seller whose company has no GST taxes yet (no Indian chart of
    accounts), its SKUs mapped with Flipkart's GST rate of 18 %."""

    sandbox_options = {"shipments": 0, "listings": 3}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse.partner_id.state_id = cls.env.ref("base.state_in_ka")
        cls.skus = sorted(cls.sandbox.listings)
        products = cls.env["product.product"].create(
            [{"name": f"Product {sku}", "is_storable": True} for sku in cls.skus]
        )
        cls.listings = cls.env["flipkart.listing"].create(
            [
                {
                    "account_id": cls.account.id,
                    "seller_sku": sku,
                    "fsn": cls.sandbox.listings[sku]["product_id"],
                    "product_id": product.id,
                    "tax_rate": 18.0,
                    "tax_rate_known": True,
                }
                for sku, product in zip(cls.skus, products, strict=True)
            ]
        )
        cls.account.write(
            {"pack_on": "manual", "rtd_at": "pack", "invoice_creation": "off"}
        )

    def import_order(self, sku):
        ids = self.sandbox.add_shipments(
            1,
            status="APPROVED",
            location_id="LOC0001",
            lines=[(sku, 1)],
            hold=False,
            dispatch_after_date=time.time() - 3600,
        )
        self.env["flipkart.shipment.import"]._refresh(self.account, ids)
        order = self.env["sale.order"].search([("flipkart_shipment_id", "in", ids)])
        self.assertEqual(len(order), 1)
        return order

    def gst_event(self, order):
        return self.env["flipkart.event"].search(
            [
                ("account_id", "=", self.account.id),
                ("kind", "=", "order_gst_missing"),
                ("res_model", "=", "sale.order"),
                ("res_id", "=", order.id),
            ]
        )

    def pack_calls(self):
        return len(
            [
                call
                for call in self.sandbox.calls
                if call["method"] == "POST" and "/v3/shipments/labels" in call["path"]
            ]
        )

    def item_line(self, order):
        return order.order_line.filtered("flipkart_order_item_id")
