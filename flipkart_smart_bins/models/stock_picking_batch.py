from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class StockPickingBatch(models.Model):
    """Flipkart Smart: a batch transfer is a Flipkart picklist once it
    carries the picklist's id, typed or scanned from Flipkart's Smart panel,
    or released through picklist endpoints (``flipkart.smart.picklist``)."""

    _inherit = "stock.picking.batch"

    flipkart_picklist_id = fields.Char(
        copy=False,
        tracking=True,
        help="The id of the Flipkart picklist of these deliveries: typed or "
        "scanned from Flipkart's Smart panel, or filled in by Release "
        "Picklist when the account releases through picklist endpoints. "
        "Flipkart Smart packs a shipment only once it is in a picklist.",
    )
    flipkart_account_id = fields.Many2one(
        "flipkart.account",
        compute="_compute_flipkart_account_id",
        store=True,
        index=True,
    )
    flipkart_picklist_release = fields.Selection(
        related="flipkart_account_id.smart_picklist_release"
    )
    flipkart_picklist_message = fields.Char(
        readonly=True,
        copy=False,
        help="Why Flipkart refused to release, pack or hand over this picklist.",
    )

    _sql_constraints = [
        (
            "flipkart_picklist_uniq",
            "unique(flipkart_account_id, flipkart_picklist_id)",
            "This Flipkart picklist is already on another batch of the account.",
        ),
    ]

    @api.depends("picking_ids.flipkart_account_id")
    def _compute_flipkart_account_id(self):
        for batch in self:
            accounts = batch.picking_ids.flipkart_account_id
            batch.flipkart_account_id = accounts[:1] if len(accounts) == 1 else False

    @api.constrains("picking_ids", "flipkart_picklist_id")
    def _check_flipkart_picklist(self):
        for batch in self:
            smart = batch.picking_ids.filtered(
                lambda p: p.flipkart_account_id.channel_type == "smart"
            )
            if not smart:
                continue
            account = smart.flipkart_account_id
            if len(account) > 1 or smart != batch.picking_ids:
                raise ValidationError(
                    self.env._(
                        "Batch %(batch)s mixes Flipkart Smart deliveries with "
                        "others: a Flipkart picklist holds one account's Smart "
                        "orders only.",
                        batch=batch.display_name,
                    )
                )
            if len(smart) > account.smart_picklist_size:
                raise ValidationError(
                    self.env._(
                        "Batch %(batch)s holds %(count)s Flipkart Smart orders; a "
                        "picklist of %(account)s holds %(size)s at most (the "
                        "account's Picklist Size).",
                        batch=batch.display_name,
                        count=len(smart),
                        account=account.display_name,
                        size=account.smart_picklist_size,
                    )
                )

    def _flipkart_smart_open(self):
        return self.picking_ids.filtered(
            lambda p: (
                p.flipkart_account_id.channel_type == "smart"
                and p.flipkart_shipment_id
                and p.state not in ("done", "cancel")
            )
        )

    def _check_flipkart_user(self):
        if not self.env.user.has_group("flipkart_connector.group_flipkart_user"):
            raise AccessError(
                self.env._("Only Flipkart users may release or hand over picklists.")
            )

    def action_flipkart_release_picklist(self):
        """Release this batch's picklist through the picklist endpoints."""
        self.ensure_one()
        self._check_flipkart_user()
        if self.flipkart_picklist_release != "endpoints":
            raise UserError(
                self.env._(
                    "This account releases picklists on Flipkart's Smart panel: "
                    "release it there and scan or type its id on the batch."
                )
            )
        self.check_access("write")
        self.env["flipkart.smart.picklist"].sudo()._release(self.sudo(), again=True)
        return True

    def action_flipkart_smart_handover(self):
        """The courier took the picklist: its packed shipments are marked
        dispatched on Flipkart (once: those already marked are not sent
        again) and its deliveries validated."""
        self.ensure_one()
        self._check_flipkart_user()
        self.check_access("write")
        pickings = self._flipkart_smart_open()
        self.env["flipkart.smart.picklist"].sudo()._hand_over(
            self.sudo(), pickings.sudo()
        )
        ready = pickings.filtered(lambda p: p.flipkart_state == "READY_TO_DISPATCH")
        if ready:
            ready.move_ids.picked = True
            try:
                # Dispatched on Flipkart: that record stays, whatever Odoo's
                # validation says (the deliveries wait below, with the reason).
                with self.env.cr.savepoint():
                    # Flipkart tells the buyer; no SMS confirmation dialog here.
                    ready.with_context(skip_sms=True).button_validate()
            except UserError as err:
                self.flipkart_picklist_message = self.env._(
                    "Dispatched on Flipkart, not validated in Odoo: %(error)s",
                    error=err.args[0] if err.args else err,
                )
        waiting = pickings.filtered(lambda p: p.state != "done")
        if waiting:
            self.message_post(
                body=self.env._(
                    "Not handed over yet (not ready to dispatch on Flipkart, or "
                    "not validated): %(names)s.",
                    names=", ".join(waiting.mapped("name")),
                )
            )
        return True
