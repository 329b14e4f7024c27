from odoo import _, api, fields, models

from .common import reopen_action


class FlipkartPrefetchWizard(models.TransientModel):
    """Label prefetch (PrePack): pack a whole picklist on Flipkart and fetch
    its labels and invoices while the goods are being picked."""

    _name = "flipkart.prefetch.wizard"
    _description = "Flipkart Label Prefetch"

    batch_id = fields.Many2one("stock.picking.batch", readonly=True)
    picking_ids = fields.Many2many("stock.picking", readonly=True)
    line_ids = fields.One2many(
        "flipkart.prefetch.wizard.line", "wizard_id", readonly=True
    )
    started = fields.Boolean(readonly=True)
    total_count = fields.Integer(compute="_compute_progress")
    ready_count = fields.Integer(compute="_compute_progress")
    failed_count = fields.Integer(compute="_compute_progress")
    progress = fields.Float(compute="_compute_progress")

    @api.depends(
        "picking_ids.flipkart_label_ready",
        "picking_ids.flipkart_message",
        "picking_ids.flipkart_flag",
    )
    def _compute_progress(self):
        for wizard in self:
            pickings = wizard.picking_ids
            ready = pickings.filtered("flipkart_label_ready")
            wizard.total_count = len(pickings)
            wizard.ready_count = len(ready)
            # A wait that passes by itself is not a failure.
            wizard.failed_count = len(
                (pickings - ready).filtered(
                    lambda p: (
                        p.flipkart_message
                        and p.flipkart_flag not in ("retry_pending", "label_pending")
                    )
                )
            )
            wizard.progress = 100.0 * len(ready) / len(pickings) if pickings else 0.0

    @api.model
    def _open(self, pickings, batch=None):
        wizard = self.create(
            {
                "batch_id": batch.id if batch else False,
                "picking_ids": [(6, 0, pickings.ids)],
                "line_ids": [(0, 0, {"picking_id": p.id}) for p in pickings],
            }
        )
        return reopen_action(wizard, _("Prefetch Flipkart Labels"))

    @api.model
    def action_open_from_pickings(self):
        pickings = self.env["stock.picking"].browse(
            self.env.context.get("active_ids", [])
        )
        return self._open(pickings._flipkart_only())

    def action_start(self):
        """Pack every delivery now, then collect what is already ready."""
        self.ensure_one()
        Fulfilment = self.env["flipkart.fulfilment"].sudo()
        Fulfilment._pack(self.picking_ids.sudo())
        Fulfilment._collect_documents(self.picking_ids.sudo())
        self.started = True
        return self._progress_action()

    def action_refresh(self):
        """Labels take seconds to minutes: collect the ones now ready."""
        self.ensure_one()
        self.env["flipkart.fulfilment"].sudo()._collect_documents(
            self.picking_ids.sudo().filtered(lambda p: not p.flipkart_label_ready)
        )
        return self._progress_action()

    def _progress_action(self):
        # Counts follow the deliveries, which changed behind the wizard's back.
        self.invalidate_recordset(
            ["total_count", "ready_count", "failed_count", "progress"]
        )
        return reopen_action(self, _("Prefetch Flipkart Labels"))

    def action_print(self):
        self.ensure_one()
        return self.picking_ids.filtered(
            "flipkart_label_ready"
        ).action_flipkart_print_label()


class FlipkartPrefetchWizardLine(models.TransientModel):
    _name = "flipkart.prefetch.wizard.line"
    _description = "Flipkart Label Prefetch Line"

    wizard_id = fields.Many2one(
        "flipkart.prefetch.wizard", required=True, ondelete="cascade"
    )
    picking_id = fields.Many2one("stock.picking", required=True, readonly=True)
    flipkart_shipment_id = fields.Char(related="picking_id.flipkart_shipment_id")
    flipkart_state = fields.Selection(related="picking_id.flipkart_state")
    label_ready = fields.Boolean(related="picking_id.flipkart_label_ready")
    invoice_number = fields.Char(related="picking_id.flipkart_invoice_number")
    message = fields.Char(related="picking_id.flipkart_message")
