from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.flipkart_connector.wizards.common import reopen_action


class FlipkartTestInventoryWizard(models.TransientModel):
    """Flipkart Smart's advice before going live: push one SKU's stock and
    read Flipkart's answer (Flipkart Smart V2 configuration, item 5)."""

    _name = "flipkart.test.inventory.wizard"
    _description = "Flipkart: Test Inventory Update"

    account_id = fields.Many2one("flipkart.account", required=True, readonly=True)
    listing_id = fields.Many2one(
        "flipkart.listing",
        string="SKU",
        domain="[('account_id', '=', account_id), ('product_id', '!=', False)]",
    )
    result = fields.Text(readonly=True)

    def action_send(self):
        self.ensure_one()
        self.account_id._check_manager()
        if (
            self.listing_id.account_id != self.account_id
            or not self.listing_id.product_id
        ):
            raise UserError(self.env._("Choose a mapped SKU of this account."))
        Inventory = self.env["flipkart.inventory"].sudo()
        Inventory._push(self.account_id, full=True, listing_ids=self.listing_id.ids)
        lines = self.listing_id.location_line_ids.filtered("pushed_at")
        states = dict(lines._fields["push_state"]._description_selection(self.env))
        self.result = "\n".join(
            self.env._(
                "%(location)s: %(quantity)s sent, Flipkart answered "
                "%(state)s%(message)s",
                location=line.location_id.display_name,
                quantity="DISABLED" if line.pushed_disabled else line.pushed_quantity,
                state=states.get(line.push_state) or self.env._("nothing yet"),
                message=f" ({line.push_message})" if line.push_message else "",
            )
            for line in lines
        ) or self.env._("Nothing was sent: the account has no active location.")
        return reopen_action(self, self.env._("Test Inventory Update"))
