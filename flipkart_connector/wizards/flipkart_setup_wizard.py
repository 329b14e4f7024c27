from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.flipkart_account import ENVIRONMENTS
from ..models.flipkart_oauth import AUTH_GRANTS
from .common import reopen_action

STEPS = ["prerequisites", "credentials", "locations", "options", "test"]


class FlipkartSetupWizard(models.TransientModel):
    """Walks a seller through connecting a Flipkart account, step by step.

    The steps follow the prerequisites of Flipkart's onboarding: seller id,
    application id and secret, location ids, self-ship; the last step
    saves the account and tests the connection.
    """

    _name = "flipkart.setup.wizard"
    _description = "Flipkart Account Setup"

    step = fields.Selection(
        [
            ("prerequisites", "Before you start"),
            ("credentials", "Credentials"),
            ("locations", "Locations"),
            ("options", "Fulfilment"),
            ("test", "Test connection"),
        ],
        default="prerequisites",
        required=True,
    )
    account_id = fields.Many2one("flipkart.account", readonly=True)
    channel_type = fields.Selection(
        # The account's channels, those the installed addons add included.
        selection=lambda self: (
            self.env["flipkart.account"]._fields["channel_type"].selection
        ),
        string="Channel",
        default="seller_v3",
        required=True,
    )
    name = fields.Char(string="Account Name", default="Flipkart")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    # No default: live orders or the sandbox is the seller's choice to make.
    environment = fields.Selection(ENVIRONMENTS)
    api_base_url = fields.Char(
        string="API Host",
        help="The sandbox's host when empty; required for a custom host.",
    )
    seller_id = fields.Char(string="Seller ID")
    auth_grant = fields.Selection(
        AUTH_GRANTS,
        string="Application Type",
        default="client_credentials",
        required=True,
    )
    app_id = fields.Char(string="Application ID")
    app_secret = fields.Char(string="Application Secret")
    location_line_ids = fields.One2many(
        "flipkart.setup.wizard.location", "wizard_id", string="Locations"
    )
    is_self_ship = fields.Boolean(string="Self-Ship")
    has_secret = fields.Boolean(compute="_compute_has_secret")
    test_ok = fields.Boolean(readonly=True)
    test_message = fields.Text(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        account = self.env["flipkart.account"].browse(
            self.env.context.get("default_account_id")
        )
        if account:
            values.update(self._values_from_account(account))
        return values

    @api.model
    def _values_from_account(self, account):
        """The wizard's values for an account being set up again (never its
        secret); the reverse of ``_account_values``."""
        return {
            "name": account.name,
            "channel_type": account.channel_type,
            "company_id": account.company_id.id,
            "environment": account.environment,
            "api_base_url": account.api_base_url,
            "seller_id": account.seller_id,
            "auth_grant": account.auth_grant,
            "app_id": account.app_id,
            "is_self_ship": account.is_self_ship,
            "location_line_ids": [
                fields.Command.create(
                    {
                        "flipkart_location_id": loc.flipkart_location_id,
                        "warehouse_id": loc.warehouse_id.id,
                    }
                )
                for loc in account.location_ids
            ],
        }

    @api.depends("account_id")
    def _compute_has_secret(self):
        for wizard in self:
            # Whether one is stored, never the secret itself.
            wizard.has_secret = bool(wizard.account_id.sudo().app_secret)

    def _reopen(self):
        return reopen_action(self, _("Connect a Flipkart account"))

    def action_next(self):
        self.ensure_one()
        self._check_step()
        self.step = STEPS[min(STEPS.index(self.step) + 1, len(STEPS) - 1)]
        return self._reopen()

    def action_back(self):
        self.ensure_one()
        self.step = STEPS[max(STEPS.index(self.step) - 1, 0)]
        return self._reopen()

    def _check_step(self):
        """Say in words what is missing before leaving a step."""
        if self.step == "credentials":
            missing = [
                label
                for label, value in (
                    (_("Seller ID"), self.seller_id),
                    (_("Application ID"), self.app_id),
                    (_("Environment"), self.environment),
                    (_("Application Secret"), self.app_secret or self.has_secret),
                )
                if not value
            ]
            if self.environment == "custom" and not self.api_base_url:
                missing.append(_("API Host"))
            if missing:
                raise UserError(
                    _("Please fill in: %(fields)s.", fields=", ".join(missing))
                )
        if self.step == "locations":
            if not self.location_line_ids:
                raise UserError(
                    _("Add at least one Flipkart location and its warehouse.")
                )
            codes = self.location_line_ids.mapped("flipkart_location_id")
            if len(set(codes)) != len(codes):
                raise UserError(_("A Flipkart location id is listed twice."))

    def _account_values(self):
        values = {
            "name": self.name,
            "channel_type": self.channel_type,
            "company_id": self.company_id.id,
            "environment": self.environment,
            "seller_id": self.seller_id.strip(),
            "auth_grant": self.auth_grant,
            "app_id": self.app_id.strip(),
            "is_self_ship": self.is_self_ship,
        }
        if self.environment != "production" and self.api_base_url:
            values["api_base_url"] = self.api_base_url.strip()
        if self.app_secret:
            values["app_secret"] = self.app_secret.strip()
        return values

    def _save_account(self):
        """Create or update the account and its locations from the wizard."""
        Account = self.env["flipkart.account"].sudo()
        if self.account_id:
            # The user's own rights decide which account (record rules: its
            # company); sudo only lets the secret through. An account never
            # changes company here.
            self.account_id.check_access("write")
            values = self._account_values()
            values.pop("company_id")
            account = self.account_id.sudo()
            account.with_user(self.env.user).write(
                {k: v for k, v in values.items() if k != "app_secret"}
            )
            if "app_secret" in values:
                account.write({"app_secret": values["app_secret"]})
        else:
            account = Account.create(self._account_values())
            self.account_id = account
        existing = {loc.flipkart_location_id: loc for loc in account.location_ids}
        commands = []
        for line in self.location_line_ids:
            code = line.flipkart_location_id.strip()
            if code in existing:
                commands.append(
                    fields.Command.update(
                        existing[code].id, {"warehouse_id": line.warehouse_id.id}
                    )
                )
            else:
                commands.append(
                    fields.Command.create(
                        {
                            "flipkart_location_id": code,
                            "warehouse_id": line.warehouse_id.id,
                        }
                    )
                )
        account.write({"location_ids": commands})
        return account

    def action_test_connection(self):
        """Save the account, then get a token and make one call per location."""
        self.ensure_one()
        for step in ("credentials", "locations"):
            self.step = step
            self._check_step()
        self.step = "test"
        account = self._save_account()
        ok, message = account.with_env(self.env)._test_connection()
        self.write({"test_ok": ok, "test_message": message})
        return self._reopen()

    def action_open_account(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "flipkart.account",
            "res_id": self.account_id.id,
            "view_mode": "form",
            "target": "current",
        }


class FlipkartSetupWizardLocation(models.TransientModel):
    _name = "flipkart.setup.wizard.location"
    _description = "Flipkart Account Setup: Location"

    wizard_id = fields.Many2one(
        "flipkart.setup.wizard", required=True, ondelete="cascade"
    )
    flipkart_location_id = fields.Char(string="Flipkart Location ID", required=True)
    warehouse_id = fields.Many2one("stock.warehouse", required=True)
