from odoo import fields, models


class FlipkartAccount(models.Model):
    _inherit = "flipkart.account"

    channel_type = fields.Selection(
        selection_add=[("smart", "Flipkart Smart")],
        ondelete={"smart": "set default"},
    )
