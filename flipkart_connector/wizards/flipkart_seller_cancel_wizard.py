from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..flipkart import health
from ..flipkart.const import SELLER_CANCEL_REASONS
from .common import reopen_action


class FlipkartSellerCancelWizard(models.TransientModel):
    """Cancel a Flipkart shipment, or some of its items, as the seller."""

    _name = "flipkart.seller.cancel.wizard"
    _description = "Cancel on Flipkart"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    reason = fields.Selection(
        SELLER_CANCEL_REASONS,
        required=True,
        default="not_enough_inventory",
    )
    line_ids = fields.One2many("flipkart.seller.cancel.wizard.line", "wizard_id")
    result = fields.Text(readonly=True)
    projected_rate = fields.Char(
        string="Seller Cancellation Rate", compute="_compute_projected_rate"
    )
    projected_status = fields.Selection(
        [("green", "Green"), ("amber", "Amber"), ("red", "Red")],
        compute="_compute_projected_rate",
    )

    @api.depends("order_id")
    def _compute_projected_rate(self):
        """The account's rate at the order's location now, and once this
        cancellation counts (Flipkart suspends at 0.25 %)."""
        metric = health.BY_KEY["seller_cancellation"]
        for wizard in self:
            order = wizard.order_id
            account = order.flipkart_account_id.sudo()
            cancelled, shipments = (
                self.env["flipkart.account.health"]
                .sudo()
                ._seller_cancellations(account, order.flipkart_location_id)
            )
            start = fields.Datetime.now() - timedelta(
                days=max(account.health_window_days, 1)
            )
            counted = order.date_order and order.date_order >= start
            after_n = cancelled + (0 if order.flipkart_seller_cancelled else 1)
            after_d = shipments if counted else shipments + 1
            now_rate = health.rate(cancelled, shipments)
            after = health.rate(after_n, after_d)
            wizard.projected_status = health.status(after, metric.suspension)
            wizard.projected_rate = _(
                "Last %(days)s days at %(location)s: %(now)s %% now (%(n)s of "
                "%(d)s shipments), %(after)s %% after this cancellation (%(an)s "
                "of %(ad)s). Flipkart suspends at %(limit)s %%; Gold status "
                "needs less than %(gold)s %%.",
                days=account.health_window_days,
                location=order.flipkart_location_id.display_name or "-",
                now=f"{now_rate:.2f}",
                n=cancelled,
                d=shipments,
                after=f"{after:.2f}",
                an=after_n,
                ad=after_d,
                limit=f"{metric.suspension:g}",
                gold=f"{metric.gold:g}",
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["sale.order"].browse(values.get("order_id"))
        values["line_ids"] = [
            Command.create({"sale_line_id": line.id, "to_cancel": True})
            for line in order.order_line
            if line.flipkart_cancellation_group_id and line.product_uom_qty
        ]
        return values

    def action_cancel_on_flipkart(self):
        self.ensure_one()
        order = self.order_id
        picking_states = set(order.picking_ids.mapped("flipkart_state")) - {False}
        if order.state == "cancel" or not picking_states <= {"APPROVED"}:
            raise UserError(
                _(
                    "Flipkart lets a seller cancel only before the shipment is "
                    "packed; this one is %(state)s.",
                    state=", ".join(sorted(picking_states)) or order.state,
                )
            )
        groups = sorted(
            set(
                self.line_ids.filtered("to_cancel").mapped(
                    "sale_line_id.flipkart_cancellation_group_id"
                )
            )
        )
        if not groups:
            raise UserError(_("Select at least one item to cancel."))
        payload = {
            "shipments": [
                {
                    "shipmentId": order.flipkart_shipment_id,
                    "locationId": order.flipkart_location_id.flipkart_location_id,
                    "cancellationGroupIds": groups,
                    "reason": self.reason,
                }
            ]
        }
        account = order.flipkart_account_id
        event = account._send_outbound(
            "cancel",
            f"cancel:{order.flipkart_shipment_id}:{','.join(groups)}",
            payload,
            record=order,
        )
        # The order flow applied Flipkart's answer and said it on the order.
        self.result = self.env["flipkart.shipment.import"]._cancel_outcome(event)
        return reopen_action(self)


class FlipkartSellerCancelWizardLine(models.TransientModel):
    _name = "flipkart.seller.cancel.wizard.line"
    _description = "Cancel on Flipkart: item"

    wizard_id = fields.Many2one(
        "flipkart.seller.cancel.wizard", required=True, ondelete="cascade"
    )
    sale_line_id = fields.Many2one("sale.order.line", required=True)
    product_id = fields.Many2one(related="sale_line_id.product_id")
    quantity = fields.Float(related="sale_line_id.product_uom_qty")
    to_cancel = fields.Boolean(string="Cancel")
