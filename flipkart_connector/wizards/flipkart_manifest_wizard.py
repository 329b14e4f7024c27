import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .common import reopen_action


def _group_code(courier):
    """A courier name as Flipkart's vendor group codes spell it."""
    return re.sub(r"[^A-Z0-9]+", "_", (courier or "").upper()).strip("_")


class FlipkartManifestWizard(models.TransientModel):
    """Download a courier's manifest for a location (after ready to dispatch)."""

    _name = "flipkart.manifest.wizard"
    _description = "Flipkart Manifest"

    account_id = fields.Many2one(
        "flipkart.account",
        required=True,
        default=lambda self: self._only("flipkart.account", []),
    )
    location_id = fields.Many2one(
        "flipkart.location",
        required=True,
        compute="_compute_location_id",
        store=True,
        readonly=False,
        domain="[('account_id', '=', account_id)]",
    )
    batch_id = fields.Many2one("stock.picking.batch", readonly=True)
    picking_ids = fields.Many2many("stock.picking", readonly=True)
    line_ids = fields.One2many(
        "flipkart.manifest.wizard.line", "wizard_id", readonly=True
    )
    vendor_line_id = fields.Many2one(
        "flipkart.manifest.wizard.line",
        string="Courier",
        domain="[('wizard_id', '=', id)]",
    )
    step = fields.Selection(
        [("location", "Location"), ("courier", "Courier")], default="location"
    )
    note = fields.Text(readonly=True)

    @api.model
    def _only(self, model, domain):
        """The one active record of ``model`` the user may see, if just one."""
        records = self.env[model].search(domain, limit=2)
        return records if len(records) == 1 else records.browse()

    @api.depends("account_id")
    def _compute_location_id(self):
        for wizard in self:
            if wizard.location_id.account_id != wizard.account_id:
                wizard.location_id = self._only(
                    "flipkart.location", [("account_id", "=", wizard.account_id.id)]
                )

    @api.model
    def _open(self, pickings, batch=None):
        first = pickings[:1]
        wizard = self.create(
            {
                "account_id": first.flipkart_account_id.id,
                "location_id": first.flipkart_location_id.id,
                "batch_id": batch.id if batch else False,
                "picking_ids": [(6, 0, pickings.ids)],
            }
        )
        return reopen_action(wizard, _("Flipkart Manifest"))

    def _ready_pickings(self):
        """The deliveries this manifest is about: the chosen ones, or every
        Flipkart delivery of the location that has no manifest yet."""
        if self.picking_ids:
            return self.picking_ids.filtered(
                lambda p: p.flipkart_location_id == self.location_id
            )
        return self.env["stock.picking"].search(
            [
                ("flipkart_account_id", "=", self.account_id.id),
                ("sale_id.flipkart_location_id", "=", self.location_id.id),
                ("picking_type_code", "=", "outgoing"),
                ("state", "!=", "cancel"),
                ("flipkart_manifest_id", "=", False),
                ("flipkart_state", "in", ("PACKED", "READY_TO_DISPATCH")),
            ]
        )

    def action_load_couriers(self):
        """Ready to dispatch first when the account does it at manifest, then
        ask Flipkart which couriers have shipments to hand over."""
        self.ensure_one()
        notes = []
        pickings = self._ready_pickings()
        if self.account_id.rtd_at == "manifest":
            dispatched = (
                self.env["flipkart.fulfilment"]
                .sudo()
                ._ready_to_dispatch(pickings.sudo())
            )
            refused = dispatched.filtered(
                lambda p: p.flipkart_state != "READY_TO_DISPATCH"
            )
            notes.append(
                _(
                    "Ready to dispatch: %(ok)s sent, %(failed)s refused.",
                    ok=len(dispatched) - len(refused),
                    failed=len(refused),
                )
            )
            notes += [f"{p.name}: {p.flipkart_message}" for p in refused]
        try:
            groups = self.account_id._flipkart_client().get_handover_counts(
                self.location_id.flipkart_location_id
            )
        except Exception as err:
            raise UserError(self.account_id._explain_error(err)) from err
        self.line_ids = [(5, 0, 0)] + [
            (
                0,
                0,
                {
                    "vendor_group_code": group.code,
                    "count": group.count,
                    "is_mps": group.is_mps,
                    "pickup_from": group.pickup_from
                    and group.pickup_from.replace(tzinfo=None),
                    "pickup_to": group.pickup_to
                    and group.pickup_to.replace(tzinfo=None),
                    "otc_error": group.otc_error or False,
                    "pickup_window": group.raw.get("pickUpDate")
                    and f"{group.raw['pickUpDate'].get('from')}|"
                    f"{group.raw['pickUpDate'].get('to')}",
                },
            )
            for group in groups
        ]
        if not groups:
            notes.append(_("Flipkart has no shipment ready to hand over here."))
        self.write(
            {
                "step": "courier",
                "note": "\n".join(notes) or False,
                "vendor_line_id": self.line_ids[:1].id,
            }
        )
        return reopen_action(self, _("Flipkart Manifest"))

    def action_download(self):
        """Download the manifest PDF and keep it with its deliveries."""
        self.ensure_one()
        line = self.vendor_line_id
        if not line:
            raise UserError(_("Choose the courier whose manifest you need."))
        pickup = line.pickup_window.split("|") if line.pickup_window else None
        try:
            pdf = self.account_id._flipkart_client().get_manifest(
                self.location_id.flipkart_location_id,
                line.vendor_group_code,
                is_mps=line.is_mps,
                pickup=pickup,
            )
        except Exception as err:
            raise UserError(self.account_id._explain_error(err)) from err
        ready = self._ready_pickings().filtered(
            lambda p: (
                p.flipkart_state == "READY_TO_DISPATCH" and not p.flipkart_manifest_id
            )
        )
        covered = ready.filtered(
            lambda p: _group_code(p.flipkart_courier) == line.vendor_group_code
        ) or ready.filtered(lambda p: not p.flipkart_courier)
        name = _(
            "%(courier)s / %(location)s / %(date)s",
            courier=line.vendor_group_code,
            location=self.location_id.flipkart_location_id,
            date=fields.Date.context_today(self),
        )
        manifest = self.env["flipkart.manifest"].create(
            {
                "name": name,
                "account_id": self.account_id.id,
                "location_id": self.location_id.id,
                "vendor_group_code": line.vendor_group_code,
                "pickup_from": line.pickup_from,
                "pickup_to": line.pickup_to,
                "batch_id": self.batch_id.id,
            }
        )
        Attachment = self.env["ir.attachment"]
        manifest.attachment_id = Attachment.create(
            {
                "name": f"{name}.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": "flipkart.manifest",
                "res_id": manifest.id,
            }
        )
        if self.batch_id:
            Attachment.create(
                {
                    "name": f"{name}.pdf",
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": "stock.picking.batch",
                    "res_id": self.batch_id.id,
                }
            )
        covered.write({"flipkart_manifest_id": manifest.id})
        manifest.message_post(
            body=_(
                "Manifest downloaded from Flipkart: %(n)s shipment(s) for %(courier)s.",
                n=line.count,
                courier=line.vendor_group_code,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "flipkart.manifest",
            "res_id": manifest.id,
            "view_mode": "form",
        }


class FlipkartManifestWizardLine(models.TransientModel):
    _name = "flipkart.manifest.wizard.line"
    _description = "Flipkart Courier Ready for Pickup"
    _rec_name = "vendor_group_code"

    wizard_id = fields.Many2one(
        "flipkart.manifest.wizard", required=True, ondelete="cascade"
    )
    vendor_group_code = fields.Char(string="Courier", readonly=True)
    count = fields.Integer(string="Shipments", readonly=True)
    is_mps = fields.Boolean(string="Multi-Package", readonly=True)
    pickup_from = fields.Datetime(readonly=True)
    pickup_to = fields.Datetime(readonly=True)
    pickup_window = fields.Char(readonly=True)  # Flipkart's own text, sent back
    otc_error = fields.Char(
        string="OTC Problem",
        readonly=True,
        help="OTC_UNAVAILABLE: Flipkart has no pickup code yet; try later.",
    )
