"""The panel's exports (bins, returns): CSV or XLSX, read as plain rows."""

import csv
import io

from odoo.exceptions import UserError

# Flipkart's panel exports are a few hundred KiB; far larger is not one.
MAX_FILE_SIZE = 10 * 1024 * 1024


def read_table(env, content, file_name):
    """(headers, rows as lists) of a CSV or XLSX file's first sheet."""
    if len(content) > MAX_FILE_SIZE:
        raise UserError(
            env._(
                "This file is %(size)s MiB: a Flipkart export is far smaller "
                "(at most %(limit)s MiB).",
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
        raise UserError(env._("Give Flipkart's export as a .csv or .xlsx file."))
    table = [row for row in table if any(row)]
    if len(table) < 2:
        raise UserError(
            env._("The file has no line: a header line, then one line per entry.")
        )
    return table[0], table[1:]


def column_commands(env, headers):
    """One2many commands replacing a wizard's column lines by ``headers``."""
    return [(5, 0, 0)] + [
        (0, 0, {"name": header or env._("Column %s", n + 1), "index": n})
        for n, header in enumerate(headers)
    ]
