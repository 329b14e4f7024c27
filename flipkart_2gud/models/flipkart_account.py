from urllib.parse import quote

from odoo import api, fields, models
from odoo.exceptions import UserError

# 2GUD's sellers register their API application on this host (seed
# 000_...: https://seller.api.2gud.com/oauth-register/login). Flipkart
# publishes no 2GUD sandbox, so sandbox accounts use Flipkart's.
TWOGUD_HOST = "https://seller.api.2gud.com"
# Where Flipkart's API team answers 2GUD sellers (seed 000).
API_SUPPORT = "seller-api-queries@flipkart.com"
DEPENDENT_SYSTEM_CALL_FAILED = "DEPENDENT_SYSTEM_CALL_FAILED"


def mailto(subject, body):
    return f"mailto:{API_SUPPORT}?subject={quote(subject)}&body={quote(body)}"


def payload_shipment_ids(payload):
    """The shipment ids a write named: ``shipments[].shipmentId`` and
    ``shipmentIds[]``, as the v3 calls put them."""
    if not isinstance(payload, dict):
        return []
    ids = [s.get("shipmentId") for s in payload.get("shipments") or () if s]
    ids += list(payload.get("shipmentIds") or ())
    return [str(i) for i in dict.fromkeys(ids) if i]


class FlipkartAccount(models.Model):
    _inherit = "flipkart.account"

    channel_type = fields.Selection(
        selection_add=[("2gud", "2GUD")],
        ondelete={"2gud": "set default"},
    )
    twogud_panel_login = fields.Char(
        string="2GUD Panel Login ID",
        help="The user id you log in to 2GUD's seller panel "
        "(https://seller.2gud.com) with; Flipkart asks for it to enable the "
        "API for 2GUD. The panel password is never needed: the API uses the "
        "application id and secret.",
    )
    twogud_margin_scheme = fields.Boolean(
        string="Margin Scheme",
        help="Refurbished goods of this 2GUD account are sold under the GST "
        "margin scheme (Rule 32(5): GST on the selling price minus the "
        "purchase price, where no input tax credit was taken). Their Odoo "
        "invoices mirror Flipkart's and are flagged when Flipkart's GST is "
        "not the GST on the margin.",
    )
    twogud_support_note = fields.Text(
        string="For Flipkart's API Team",
        compute="_compute_twogud_support_note",
        help='2GUD\'s systems failed ("Call to dependent system failed") and '
        "the automatic retries ran out: what to write to Flipkart's API team.",
    )

    def _environment_hosts(self):
        hosts = super()._environment_hosts()
        if self.channel_type == "2gud":
            hosts["production"] = TWOGUD_HOST
        return hosts

    @api.depends("channel_type")
    def _compute_twogud_support_note(self):
        twogud = self.filtered(lambda a: a.channel_type == "2gud")
        (self - twogud).twogud_support_note = False
        failed = self.env["flipkart.event"].search(
            [
                ("account_id", "in", twogud.ids),
                ("direction", "=", "outbound"),
                ("state", "=", "error"),
                ("error_code", "=", DEPENDENT_SYSTEM_CALL_FAILED),
                ("retry_at", "=", False),
            ],
            order="write_date desc",
        )
        for account in twogud:
            mine = failed.filtered(lambda e, a=account: e.account_id == a)
            account.twogud_support_note = (
                account._twogud_support_text(mine) if mine else False
            )

    def _twogud_support_text(self, events):
        shipments = []
        for event in events:
            shipments += payload_shipment_ids(event._payload())
        last = events[0]
        return self.env._(
            "Seller ID: %(seller)s\n"
            "Shipments: %(shipments)s\n"
            "When: %(when)s UTC\n"
            "Error: Call to dependent system failed (HTTP 500, "
            "DEPENDENT_SYSTEM_CALL_FAILED) on %(kinds)s, after every retry.\n"
            "Flipkart said: %(said)s",
            seller=self.seller_id or "?",
            shipments=", ".join(dict.fromkeys(shipments)) or "-",
            when=fields.Datetime.to_string(last.write_date)[:16],
            kinds=", ".join(dict.fromkeys(events.mapped("kind_name"))),
            said=last.last_error or "-",
        )

    @api.model
    def _twogud_v3_flag_mail(self, seller_id, panel_login):
        """The mail Flipkart asks for before 2GUD answers the API (seed 000)."""
        if not seller_id or not panel_login:
            raise UserError(
                self.env._(
                    "Enter your Seller ID and your 2GUD Panel Login ID first: "
                    "Flipkart needs both to enable the API for 2GUD."
                )
            )
        body = self.env._(
            "Hello,\n\nPlease enable the V3 flag for 2GUD for this seller.\n\n"
            "Seller ID: %(seller)s\nSeller panel login ID: %(login)s\n\nThank you.",
            seller=seller_id,
            login=panel_login,
        )
        return {
            "type": "ir.actions.act_url",
            "url": mailto("Enable V3 flag for 2GUD", body),
            "target": "new",
        }

    def action_twogud_request_v3_flag(self):
        self.ensure_one()
        return self._twogud_v3_flag_mail(self.seller_id, self.twogud_panel_login)

    def action_twogud_write_to_support(self):
        """Open the seller's mail program with the note to Flipkart's API team."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": mailto(
                self.env._(
                    "2GUD: Call to dependent system failed (seller %(seller)s)",
                    seller=self.seller_id or "?",
                ),
                self.twogud_support_note or "",
            ),
            "target": "new",
        }
