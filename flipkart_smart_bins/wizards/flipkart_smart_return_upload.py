import base64
import json

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.flipkart_connector import flipkart
from odoo.addons.flipkart_connector.wizards.common import reopen_action

from ..tables import column_commands, read_table

# What a returns export row must say, and the header words that name it.
ROLES = {
    "return": ("return",),
    "shipment": ("shipment",),
    "item": ("order item", "item"),
    "quantity": ("quantity", "qty"),
}


class FlipkartSmartReturnUpload(models.TransientModel):
    """Flipkart Smart returns are handled on the Smart panel (seed 003):
    its returns export becomes return receipts and credit notes, through
    the same import as the returns Flipkart's API lists."""

    _name = "flipkart.smart.return.upload"
    _description = "Flipkart Smart: Upload Returns"

    account_id = fields.Many2one(
        "flipkart.account",
        required=True,
        domain="[('channel_type', '=', 'smart')]",
        default=lambda self: self._default_account(),
    )
    file = fields.Binary(string="Returns Export", required=True)
    file_name = fields.Char()
    step = fields.Selection(
        [("file", "File"), ("columns", "Columns"), ("done", "Done")], default="file"
    )
    column_ids = fields.One2many("flipkart.smart.return.column", "wizard_id")
    return_column_id = fields.Many2one(
        "flipkart.smart.return.column",
        string="Return ID Column",
        domain="[('wizard_id', '=', id)]",
    )
    shipment_column_id = fields.Many2one(
        "flipkart.smart.return.column",
        string="Shipment ID Column",
        domain="[('wizard_id', '=', id)]",
    )
    item_column_id = fields.Many2one(
        "flipkart.smart.return.column",
        string="Order Item ID Column",
        domain="[('wizard_id', '=', id)]",
    )
    quantity_column_id = fields.Many2one(
        "flipkart.smart.return.column",
        domain="[('wizard_id', '=', id)]",
    )
    result = fields.Text(readonly=True)

    @api.model
    def _default_account(self):
        accounts = self.env["flipkart.account"].search(
            [("channel_type", "=", "smart")], limit=2
        )
        return accounts if len(accounts) == 1 else accounts.browse()

    def _read_file(self):
        return read_table(self.env, base64.b64decode(self.file), self.file_name)

    def action_read_file(self):
        self.ensure_one()
        headers, _rows = self._read_file()
        self.column_ids = column_commands(self.env, headers)
        remembered = json.loads(self.account_id.smart_return_columns or "{}")
        for role, words in ROLES.items():
            columns = self.column_ids
            self[f"{role}_column_id"] = (
                columns.filtered(lambda c, r=role: c.name == remembered.get(r))[:1]
                or columns.filtered(
                    lambda c, w=words: any(word in c.name.lower() for word in w)
                )[:1]
            )
        self.step = "columns"
        return reopen_action(self, self.env._("Upload Flipkart Smart Returns"))

    def action_import(self):
        self.ensure_one()
        self.account_id._check_manager()
        chosen = {role: self[f"{role}_column_id"] for role in ROLES}
        missing = [
            self._fields[f"{r}_column_id"].string for r, c in chosen.items() if not c
        ]
        if missing:
            raise UserError(self.env._("Choose: %s.", ", ".join(missing)))
        _headers, rows = self._read_file()
        items, refused = [], []
        for number, row in enumerate(rows, 2):
            cells = {
                role: row[column.index].strip() if len(row) > column.index else ""
                for role, column in chosen.items()
            }
            if not cells["return"] or not cells["shipment"] or not cells["item"]:
                refused.append(
                    self.env._("line %s: no return, shipment or item id", number)
                )
                continue
            try:
                quantity = int(float(cells["quantity"]))
            except ValueError:
                refused.append(
                    self.env._(
                        "line %(n)s: quantity %(q)r", n=number, q=cells["quantity"]
                    )
                )
                continue
            items.append(
                flipkart.ReturnItem.from_json(
                    {
                        "returnId": cells["return"],
                        "shipmentId": cells["shipment"],
                        "orderItemId": cells["item"],
                        "quantity": quantity,
                        "status": "created",
                        "source": "customer_return",
                    }
                )
            )
        summary = (
            self.env["flipkart.return.import"]
            .sudo()
            ._import(self.account_id.sudo(), items)
        )
        self.account_id.smart_return_columns = json.dumps(
            {role: column.name for role, column in chosen.items()}
        )
        lines = [
            self.env._(
                "%(created)s return receipt(s) created, %(known)s already in Odoo.",
                created=len(summary["created"]),
                known=len(summary["updated"]),
            )
        ]
        lines += [f"{ret}: {why}" for ret, why in summary["failed"].items()]
        lines += refused
        self.write({"step": "done", "result": "\n".join(lines)})
        return reopen_action(self, self.env._("Upload Flipkart Smart Returns"))


class FlipkartSmartReturnColumn(models.TransientModel):
    _name = "flipkart.smart.return.column"
    _description = "Flipkart Smart: Column of a Returns Export"

    wizard_id = fields.Many2one(
        "flipkart.smart.return.upload", required=True, ondelete="cascade"
    )
    name = fields.Char(required=True)
    index = fields.Integer(required=True)
