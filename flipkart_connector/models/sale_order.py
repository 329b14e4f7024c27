from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..flipkart import const

PAYMENT_TYPES = [("COD", "Cash on Delivery"), ("PREPAID", "Prepaid")]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    flipkart_account_id = fields.Many2one(
        "flipkart.account",
        index=True,
        readonly=True,
        copy=False,
    )
    flipkart_location_id = fields.Many2one(
        "flipkart.location", readonly=True, copy=False
    )
    flipkart_order_id = fields.Char(
        string="Flipkart Order ID", index=True, readonly=True, copy=False
    )
    flipkart_shipment_id = fields.Char(
        string="Flipkart Shipment ID", index=True, readonly=True, copy=False
    )
    flipkart_payment_type = fields.Selection(
        PAYMENT_TYPES, string="Flipkart Payment", readonly=True, copy=False
    )
    flipkart_is_replacement = fields.Boolean(
        string="Flipkart Replacement", readonly=True, copy=False
    )
    flipkart_cancel_reason = fields.Char(
        string="Flipkart Cancellation", readonly=True, copy=False
    )
    flipkart_seller_cancelled = fields.Boolean(
        string="Cancelled by Seller",
        readonly=True,
        copy=False,
        help="Counts against the seller cancellation rate on Flipkart.",
    )
    flipkart_pending_stock = fields.Boolean(
        string="Pending Stock",
        readonly=True,
        copy=False,
        help="Ordered although the stock last pushed to Flipkart was 0. "
        "Flipkart usually cancels such orders itself (no penalty).",
    )
    flipkart_gst_missing = fields.Char(
        string="Flipkart Items Without GST",
        compute="_compute_flipkart_gst_missing",
        store=True,
        help="Flipkart items of this order that have no GST tax. Such an "
        "order is not packed: Flipkart would print the customer invoice in "
        "your name at 0 % GST.",
    )
    flipkart_related_order_ids = fields.Many2many(
        "sale.order",
        compute="_compute_flipkart_related_order_ids",
        string="Same Flipkart Order",
        help="The other shipments (replacements included) of this Flipkart order.",
    )
    flipkart_related_order_count = fields.Integer(
        compute="_compute_flipkart_related_order_ids"
    )

    _sql_constraints = [
        (
            "flipkart_shipment_uniq",
            "unique(flipkart_account_id, flipkart_shipment_id)",
            "This Flipkart shipment is already imported.",
        ),
    ]

    @api.depends(
        "order_line.tax_id", "order_line.product_uom_qty", "order_line.product_id"
    )
    def _compute_flipkart_gst_missing(self):
        for order in self:
            names = [
                line.product_id.display_name
                for line in order.order_line
                if line.flipkart_order_item_id
                and line.product_uom_qty > 0
                and not line.tax_id
            ]
            order.flipkart_gst_missing = ", ".join(names) or False

    def _flipkart_gst_message(self):
        self.ensure_one()
        return _(
            "No GST tax found for %(products)s in %(company)s. This order is "
            "not packed on Flipkart until they have one: Flipkart prints the "
            "customer invoice in your name from the rate sent at pack. Pull the "
            "SKUs (Flipkart gives each listing's GST rate) or give the product "
            "its GST sales tax, with the Indian chart of accounts installed, then "
            "press Apply GST; or set the tax on the order line.",
            products=self.flipkart_gst_missing,
            company=self.company_id.name,
        )

    def action_flipkart_apply_gst(self):
        """Apply GST again to the Flipkart items without it; close the
        order's GST event once none lacks it."""
        if not self.env.user.has_group("flipkart_connector.group_flipkart_user"):
            raise AccessError(_("Only Flipkart users may change Flipkart orders."))
        orders = self.filtered("flipkart_shipment_id")
        left = (
            self.env["flipkart.shipment.import"]
            .sudo()
            ._apply_missing_gst(orders.sudo())
        )
        self.env["flipkart.shipment.import"].sudo()._close_gst_events(orders)
        if not left:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": "\n".join(o._flipkart_gst_message() for o in left),
            },
        }

    @api.depends("flipkart_account_id", "flipkart_order_id")
    def _compute_flipkart_related_order_ids(self):
        flipkart_orders = self.filtered("flipkart_order_id")
        groups = {}
        if flipkart_orders:
            siblings = self.search(
                [
                    (
                        "flipkart_account_id",
                        "in",
                        flipkart_orders.flipkart_account_id.ids,
                    ),
                    (
                        "flipkart_order_id",
                        "in",
                        flipkart_orders.mapped("flipkart_order_id"),
                    ),
                ]
            )
            for sibling in siblings:
                key = (sibling.flipkart_account_id.id, sibling.flipkart_order_id)
                groups.setdefault(key, self.browse())
                groups[key] |= sibling
        for order in self:
            key = (order.flipkart_account_id.id, order.flipkart_order_id)
            related = groups.get(key, self.browse()) - order
            order.flipkart_related_order_ids = related
            order.flipkart_related_order_count = len(related)

    def action_cancel(self):
        """Cancelling in Odoo alone would leave Flipkart expecting the
        shipment (and count against the seller when it is not shipped):
        refused while Flipkart still expects it."""
        expected = self.filtered(
            lambda order: (
                order.flipkart_shipment_id
                and order.state == "sale"
                and any(
                    picking.flipkart_state
                    and picking.flipkart_state not in const.CLOSED_STATES
                    for picking in order.picking_ids
                )
            )
        )
        if expected:
            raise UserError(
                self.env._(
                    "Flipkart still expects %(orders)s. Use Cancel on Flipkart "
                    "(a seller cancellation, which Flipkart counts against the "
                    "seller), or wait for Flipkart's own cancellation: it "
                    "cancels the order here.",
                    orders=", ".join(expected.mapped("name")),
                )
            )
        return super().action_cancel()

    def action_flipkart_seller_cancel(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "flipkart_connector.flipkart_seller_cancel_wizard_action"
        )
        action["context"] = {"default_order_id": self.id}
        return action

    def action_view_flipkart_related_orders(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "name": self.flipkart_order_id,
            "view_mode": "list,form",
            "domain": [("id", "in", self.flipkart_related_order_ids.ids)],
        }

    def _flipkart_posted_invoice(self):
        """The order's posted customer invoice, if the seller invoiced."""
        self.ensure_one()
        return self.invoice_ids.filtered(
            lambda move: move.state == "posted" and move.move_type == "out_invoice"
        )[:1]

    # Invoices -------------------------------------------------------------

    def _flipkart_invoice_received(self, invoice, pdf=None):
        """Flipkart has invoiced this order's shipment: mirror its invoice.

        ``invoice`` is the client's ``Invoice`` of the shipment, ``pdf`` the
        bytes of Flipkart's invoice PDF (or None). Safe to call again: the
        shipment's invoice is found and brought up to date (a draft takes a
        new number, date and PDF; a posted one is only re-checked), never
        created twice. Depending on the account's ``invoice_creation``, a new
        invoice is created as draft, and posted when it matches. Returns the
        invoice, or an empty recordset when there is none.
        """
        self.ensure_one()
        if invoice.shipment_id and invoice.shipment_id != self.flipkart_shipment_id:
            raise ValueError(
                f"Invoice of shipment {invoice.shipment_id} given to order "
                f"{self.name} (shipment {self.flipkart_shipment_id})"
            )
        account = self.flipkart_account_id
        # The same lock as the order import: one worker per shipment.
        self.env["flipkart.shipment.import"]._lock(account, [self.flipkart_shipment_id])
        move = self._flipkart_invoice()
        if not move:
            if account.invoice_creation == "off" or self.state != "sale":
                return move
            move = self._flipkart_create_invoice(invoice)
            if not move:
                return move
        move._flipkart_receive(invoice, pdf)
        move._flipkart_check_invoice()
        if (
            account.invoice_creation == "post"
            and move.state == "draft"
            and not move.flipkart_invoice_mismatch
        ):
            move._flipkart_post()
        return move

    def _flipkart_invoice(self):
        """The shipment's customer invoice: the one made for Flipkart's, else
        one made by hand from the order (adopted, not duplicated)."""
        self.ensure_one()
        Move = self.env["account.move"]
        move = Move.search(
            [
                ("flipkart_account_id", "=", self.flipkart_account_id.id),
                ("flipkart_shipment_id", "=", self.flipkart_shipment_id),
                ("move_type", "=", "out_invoice"),
                ("state", "!=", "cancel"),
            ],
            order="id",
            limit=1,
        )
        if not move:
            move = self.invoice_ids.filtered(
                lambda rec: rec.move_type == "out_invoice" and rec.state != "cancel"
            ).sorted("id")[:1]
            move.write(
                {
                    "flipkart_account_id": self.flipkart_account_id.id,
                    "flipkart_shipment_id": self.flipkart_shipment_id,
                }
            )
        return move

    def _flipkart_create_invoice(self, invoice):
        """The invoice of the order's non-cancelled quantities, the Odoo way
        (linked to the order lines, so the order counts them invoiced)."""
        self.ensure_one()
        lines = [
            Command.create(line._prepare_invoice_line(quantity=line.product_uom_qty))
            for line in self.order_line
            if not line.display_type and line.product_uom_qty > 0
        ]
        if not lines:
            return self.env["account.move"]
        values = self._prepare_invoice()
        if "journal_id" not in values:
            values["journal_id"] = (
                self.env["account.journal"]
                .search(
                    [
                        *self.env["account.journal"]._check_company_domain(
                            self.company_id
                        ),
                        ("type", "=", "sale"),
                    ],
                    limit=1,
                )
                .id
            )
        values.update(
            {
                "invoice_line_ids": lines,
                "ref": invoice.invoice_number or values.get("ref"),
                "invoice_date": invoice.invoice_date or False,
                "flipkart_account_id": self.flipkart_account_id.id,
                "flipkart_shipment_id": self.flipkart_shipment_id,
            }
        )
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .with_context(default_move_type="out_invoice")
            .create(values)
        )
        move.message_post_with_source(
            "mail.message_origin_link",
            render_values={"self": move, "origin": self},
            subtype_xmlid="mail.mt_note",
        )
        return move
