from odoo import api, fields, models


class FlipkartManifest(models.Model):
    """A courier's manifest downloaded from Flipkart: the list the courier
    signs at pickup, with the deliveries it covers."""

    _name = "flipkart.manifest"
    _description = "Flipkart Manifest"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True)
    account_id = fields.Many2one(
        "flipkart.account", required=True, readonly=True, index=True
    )
    company_id = fields.Many2one(related="account_id.company_id", store=True)
    location_id = fields.Many2one("flipkart.location", required=True, readonly=True)
    vendor_group_code = fields.Char(string="Courier", required=True, readonly=True)
    pickup_from = fields.Datetime(readonly=True)
    pickup_to = fields.Datetime(readonly=True)
    attachment_id = fields.Many2one("ir.attachment", string="PDF", readonly=True)
    picking_ids = fields.One2many(
        "stock.picking", "flipkart_manifest_id", string="Deliveries", readonly=True
    )
    batch_id = fields.Many2one("stock.picking.batch", readonly=True)
    picking_count = fields.Integer(compute="_compute_picking_count")

    @api.depends("picking_ids")
    def _compute_picking_count(self):
        for manifest in self:
            manifest.picking_count = len(manifest.picking_ids)

    def action_download(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def action_view_pickings(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "name": self.name,
            "view_mode": "list,form",
            "domain": [("flipkart_manifest_id", "=", self.id)],
        }
