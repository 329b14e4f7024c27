import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.flipkart_connector.wizards.common import reopen_action

from ..tables import column_commands, read_table


class FlipkartBinImportWizard(models.TransientModel):
    """Flipkart's Available Bins export (Smart Fulfillment > Inventory
    Management > Reports) into the Smart root's bins: created, updated,
    and those no longer listed flagged, never deleted."""

    _name = "flipkart.bin.import.wizard"
    _description = "Flipkart Smart: Import Bins"

    location_id = fields.Many2one(
        "flipkart.location",
        string="Smart Location",
        required=True,
        domain="[('smart_root_id', '!=', False), ('account_id.active', '=', True)]",
        default=lambda self: self._default_location(),
    )
    file = fields.Binary(string="Available Bins Export", required=True)
    file_name = fields.Char()
    step = fields.Selection(
        [("file", "File"), ("column", "Column"), ("done", "Done")], default="file"
    )
    column_ids = fields.One2many("flipkart.bin.import.column", "wizard_id")
    column_id = fields.Many2one(
        "flipkart.bin.import.column",
        string="Bin Code Column",
        domain="[('wizard_id', '=', id)]",
        help="Flipkart does not publish its export's column names: choose the "
        "one with the bin codes. The choice is remembered for the next import.",
    )
    result = fields.Text(readonly=True)

    @api.model
    def _default_location(self):
        locations = self.env["flipkart.location"].search(
            [("smart_root_id", "!=", False), ("account_id.active", "=", True)], limit=2
        )
        return locations if len(locations) == 1 else locations.browse()

    def _read_file(self):
        return read_table(self.env, base64.b64decode(self.file), self.file_name)

    def action_read_file(self):
        self.ensure_one()
        headers, _rows = self._read_file()
        remembered = self.location_id.account_id.smart_bin_column
        self.column_ids = column_commands(self.env, headers)
        self.column_id = (
            self.column_ids.filtered(lambda c: c.name == remembered)[:1]
            or self.column_ids.filtered(lambda c: "bin" in c.name.lower())[:1]
            or self.column_ids[:1]
        )
        self.step = "column"
        return reopen_action(self, self.env._("Import Flipkart Smart Bins"))

    def action_import(self):
        self.ensure_one()
        self.location_id.account_id._check_manager()
        if not self.column_id:
            raise UserError(self.env._("Choose the column that holds the bin codes."))
        _headers, rows = self._read_file()
        index = self.column_id.index
        codes = list(
            dict.fromkeys(
                row[index].strip()
                for row in rows
                if len(row) > index and row[index].strip()
            )
        )
        if not codes:
            raise UserError(
                self.env._("The column %s holds no bin code.", self.column_id.name)
            )
        counts = self.location_id.smart_root_id._flipkart_import_bins(codes)
        self.location_id.account_id.smart_bin_column = self.column_id.name
        self.write(
            {
                "step": "done",
                "result": self.env._(
                    "%(new)s new bin(s), %(updated)s already there, %(missing)s no "
                    "longer in Flipkart's export (kept, flagged Missing).",
                    **counts,
                ),
            }
        )
        return reopen_action(self, self.env._("Import Flipkart Smart Bins"))

    def action_view_bins(self):
        self.ensure_one()
        return self.location_id.smart_root_id.action_flipkart_view_bins()


class FlipkartBinImportColumn(models.TransientModel):
    _name = "flipkart.bin.import.column"
    _description = "Flipkart Smart: Column of a Bin Export"

    wizard_id = fields.Many2one(
        "flipkart.bin.import.wizard", required=True, ondelete="cascade"
    )
    name = fields.Char(required=True)
    index = fields.Integer(required=True)
