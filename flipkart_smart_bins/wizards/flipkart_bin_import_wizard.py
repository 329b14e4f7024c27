import base64
import csv
import io

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.flipkart_connector.wizards.common import reopen_action

# Flipkart's bin exports are a few hundred KiB; anything far larger is not one.
MAX_FILE_SIZE = 10 * 1024 * 1024


def read_table(env, content, file_name):
    """(headers, rows as lists) of a CSV or XLSX file's first sheet."""
    if len(content) > MAX_FILE_SIZE:
        raise UserError(
            env._(
                "This file is %(size)s MiB: an Available Bins export is far "
                "smaller (at most %(limit)s MiB).",
                size=len(content) // (1024 * 1024),
                limit=MAX_FILE_SIZE // (1024 * 1024),
            )
        )
    name = (file_name or "").lower()
    if name.endswith(".xlsx"):
        import openpyxl  # Odoo's own dependency (base_import)

        try:
            book = openpyxl.load_workbook(
                io.BytesIO(content), read_only=True, data_only=True
            )
        except Exception as err:  # openpyxl raises many kinds on a bad file
            raise UserError(env._("This XLSX file cannot be read: %s", err)) from err
        table = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in book.worksheets[0].iter_rows(values_only=True)
        ]
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise UserError(env._("This CSV file is not UTF-8 text.")) from err
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), dialect)
        ]
    else:
        raise UserError(
            env._("Give Flipkart's Available Bins export as a .csv or .xlsx file.")
        )
    table = [row for row in table if any(row)]
    if len(table) < 2:
        raise UserError(
            env._("The file has no bin: a header line and one line per bin.")
        )
    return table[0], table[1:]


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
        self.column_ids = [(5, 0, 0)] + [
            (0, 0, {"name": header or self.env._("Column %s", n + 1), "index": n})
            for n, header in enumerate(headers)
        ]
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
