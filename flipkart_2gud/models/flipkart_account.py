from odoo import fields, models

# 2GUD's sellers register their API application on this host (seed
# 000_...: https://seller.api.2gud.com/oauth-register/login). Flipkart
# publishes no 2GUD sandbox, so sandbox accounts use Flipkart's.
TWOGUD_HOST = "https://seller.api.2gud.com"


class FlipkartAccount(models.Model):
    _inherit = "flipkart.account"

    channel_type = fields.Selection(
        selection_add=[("2gud", "2GUD")],
        ondelete={"2gud": "set default"},
    )

    def _environment_hosts(self):
        hosts = super()._environment_hosts()
        if self.channel_type == "2gud":
            hosts["production"] = TWOGUD_HOST
        return hosts
