from odoo import api, fields, models


class FlipkartSetupWizard(models.TransientModel):
    """2GUD's onboarding (seed 000): the V3-flag mail, the application
    registered on 2GUD's host, the location id from 2GUD's panel."""

    _inherit = "flipkart.setup.wizard"

    twogud_panel_login = fields.Char(
        string="2GUD Panel Login ID",
        help="The user id you log in to https://seller.2gud.com with. Your "
        "panel password is not needed and never asked for.",
    )

    @api.model
    def _values_from_account(self, account):
        values = super()._values_from_account(account)
        values["twogud_panel_login"] = account.twogud_panel_login
        return values

    def _account_values(self):
        values = super()._account_values()
        if self.channel_type == "2gud":
            values["twogud_panel_login"] = (self.twogud_panel_login or "").strip()
        return values

    def action_twogud_request_v3_flag(self):
        self.ensure_one()
        return self.env["flipkart.account"]._twogud_v3_flag_mail(
            (self.seller_id or "").strip(), (self.twogud_panel_login or "").strip()
        )
