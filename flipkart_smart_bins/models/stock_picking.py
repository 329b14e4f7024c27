from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# Flipkart sends no dispatch-by date when it releases a held Smart order:
# the seller has two days from the release (seed 003, on-hold orders).
RELEASE_SLA = timedelta(days=2)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    flipkart_released_at = fields.Datetime(
        string="Released by Flipkart",
        readonly=True,
        copy=False,
        help="Flipkart Smart: when Flipkart released this held order; it is "
        "due two days later unless Flipkart gives a dispatch-by date.",
    )
    flipkart_release_dispatch_by = fields.Datetime(readonly=True, copy=False)

    def _flipkart_smart(self):
        return self.filtered(lambda p: p.flipkart_account_id.channel_type == "smart")

    def write(self, vals):
        smart = (
            self._flipkart_smart()
            if {
                "flipkart_hold",
                "flipkart_dispatch_by",
            }
            & set(vals)
            else self.browse()
        )
        for picking in smart:
            super(StockPicking, picking).write(picking._flipkart_release_values(vals))
        result = super(StockPicking, self - smart).write(vals) if self - smart else True
        held = smart.filtered("flipkart_hold")
        if held and vals.get("flipkart_hold"):
            # A held Smart order keeps no stock: it may never ship.
            held.filtered(lambda p: p.state == "assigned").do_unreserve()
        return result

    def _flipkart_ordered_quantity(self):
        self.ensure_one()
        return sum(self.sale_id.order_line.mapped("product_uom_qty"))

    def _flipkart_say_cancelled_at_pack(self, ordered_before):
        """Words on the delivery when the re-read before pack found items
        cancelled on Flipkart."""
        self.ensure_one()
        if self.state == "cancel" or self.flipkart_state == "CANCELLED":
            text = self.env._(
                "Cancelled on Flipkart before packing: the order was cancelled "
                "in Odoo and its stock is free in its bin again."
            )
        else:
            left = self._flipkart_ordered_quantity()
            if left >= ordered_before:
                return
            text = self.env._(
                "Flipkart cancelled %(cancelled)s of %(ordered)s units before "
                "packing: the order was lowered to match, the rest is packed "
                "and the cancelled units stay free in their bin.",
                cancelled=f"{ordered_before - left:g}",
                ordered=f"{ordered_before:g}",
            )
            # Keep only what Flipkart still expects reserved.
            if self.state == "assigned":
                self.do_unreserve()
                self.action_assign()
        # On the delivery until packing moves on, and in its chatter for good.
        self.flipkart_message = text
        self.message_post(body=text)

    def _pre_action_done_hook(self):
        # Flipkart Smart packs whole orders (seed 003): a short pick is
        # refused here, before Odoo would offer a backorder.
        for picking in self._flipkart_smart().filtered("flipkart_shipment_id"):
            short = picking.move_ids.filtered(
                lambda m: (
                    m.state != "cancel"
                    and float_compare(
                        m.quantity,
                        m.product_uom_qty,
                        precision_rounding=m.product_uom.rounding,
                    )
                    < 0
                )
            )
            if short:
                raise UserError(
                    self.env._(
                        "%(picking)s is a Flipkart Smart order: Flipkart Smart packs "
                        "whole orders only. Pick %(lines)s, or cancel the order on "
                        "Flipkart.",
                        picking=picking.name,
                        lines=", ".join(
                            f"{m.product_uom_qty:g} {m.product_id.display_name} "
                            f"({m.quantity:g} picked)"
                            for m in short
                        ),
                    )
                )
        return super()._pre_action_done_hook()

    def _flipkart_release_values(self, vals):
        """``vals`` for this Smart delivery: its deadline on release, and
        Flipkart's stale pre-hold date kept out afterwards."""
        vals = dict(vals)
        to_datetime = fields.Datetime.to_datetime
        if "flipkart_dispatch_by" in vals:
            vals["flipkart_dispatch_by"] = to_datetime(vals["flipkart_dispatch_by"])
        flipkart_date = vals.get("flipkart_dispatch_by", self.flipkart_dispatch_by)
        now = fields.Datetime.now()
        if self.flipkart_hold and vals.get("flipkart_hold") is False:
            vals["flipkart_released_at"] = now
            vals["flipkart_release_dispatch_by"] = flipkart_date
            if not flipkart_date or flipkart_date <= now:
                vals["flipkart_dispatch_by"] = now + RELEASE_SLA
        elif (
            self.flipkart_released_at
            and "flipkart_dispatch_by" in vals
            and vals["flipkart_dispatch_by"] == self.flipkart_release_dispatch_by
        ):
            # Still the date from before the hold: the release's deadline stays.
            del vals["flipkart_dispatch_by"]
        return vals

    @api.constrains("batch_id")
    def _check_flipkart_picklist_batch(self):
        self.batch_id._check_flipkart_picklist()

    def _flipkart_pack_problem(self, now):
        problem, keep_queued = super()._flipkart_pack_problem(now)
        if (
            problem is None
            and self.flipkart_account_id.channel_type == "smart"
            and not self.batch_id.flipkart_picklist_id
        ):
            if self.batch_id.flipkart_picklist_message:
                # Released through the endpoints, and refused.
                return (
                    self.env._(
                        "Flipkart Smart packs a shipment only once it is in a "
                        "Flipkart picklist, and Flipkart refused the picklist of "
                        "%(batch)s: %(reason)s Once fixed, press Release "
                        "Picklist on the batch.",
                        batch=self.batch_id.name,
                        reason=self.batch_id.flipkart_picklist_message,
                    ),
                    True,
                )
            return (
                self.env._(
                    "Flipkart Smart packs a shipment only once it is in a "
                    "Flipkart picklist: put the delivery in a batch and enter "
                    "the picklist id released on Flipkart's Smart panel."
                ),
                True,
            )
        return problem, keep_queued
