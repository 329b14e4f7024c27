import base64
import io

import openpyxl

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SmartCase


def csv_file(rows):
    return base64.b64encode("\n".join(rows).encode())


def xlsx_file(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return base64.b64encode(buffer.getvalue())


@tagged("post_install", "-at_install")
class TestBinImport(SmartCase):
    def run_import(self, content, file_name, column=None):
        wizard = self.env["flipkart.bin.import.wizard"].with_context(
            default_file_name=file_name
        )
        form = Form(wizard)
        self.assertEqual(form.location_id, self.location)  # the only one
        form.file = content
        wizard = form.save()
        wizard.action_read_file()
        if column:
            wizard.column_id = wizard.column_ids.filtered(lambda c: c.name == column)
        wizard.action_import()
        return wizard

    def root_bins(self):
        return (
            self.env["stock.location"]
            .with_context(active_test=False)
            .search([("location_id", "=", self.root.id)])
        )

    def test_csv_then_xlsx_twice_without_duplicates(self):
        rows = [
            "Warehouse,Storage Bin,Zone",
            "FKW1,B-01,A",
            "FKW1,B-04,A",
            "FKW1,B-05,B",
        ]
        wizard = self.run_import(csv_file(rows), "Available Bins.csv")
        self.assertEqual(wizard.column_id.name, "Storage Bin")  # guessed
        self.assertIn("2 new bin(s), 1 already there, 2 no longer", wizard.result)
        self.assertEqual(self.account.smart_bin_column, "Storage Bin")
        bins = self.root_bins()
        self.assertEqual(
            sorted(bins.mapped("name")), ["B-01", "B-02", "B-03", "B-04", "B-05"]
        )
        self.assertEqual(
            bins.filtered("flipkart_bin_missing").mapped("name"), ["B-02", "B-03"]
        )
        new = bins.filtered(lambda b: b.name == "B-04")
        self.assertEqual((new.barcode, new.flipkart_bin_capacity), ("B-04", 1500))
        # The same bins from an XLSX export, twice: nothing new.
        table = [["Bin Id", "Storage Bin"], ["x", "B-01"], ["y", "B-04"], ["z", "B-05"]]
        for _run in range(2):
            wizard = self.run_import(xlsx_file(table), "bins.xlsx")
            self.assertEqual(wizard.column_id.name, "Storage Bin")  # remembered
            self.assertIn("0 new bin(s), 3 already there", wizard.result)
        self.assertEqual(len(self.root_bins()), 5)

    def test_a_code_used_by_another_location_is_refused(self):
        self.env["stock.location"].create(
            {"name": "Shelf", "barcode": "B-77", "location_id": self.stock.id}
        )
        with self.assertRaisesRegex(ValidationError, r"B-77 \(.*Shelf\)"):
            self.run_import(csv_file(["Storage Bin", "B-77", "B-78"]), "bins.csv")
        self.assertFalse(self.root_bins().filtered(lambda b: b.name == "B-78"))

    def test_a_file_far_too_large_is_refused_before_reading(self):
        huge = base64.b64encode(b"Storage Bin\n" + b"B-1\n" * (3 * 1024 * 1024))
        with self.assertRaisesRegex(Exception, "a Flipkart export is far smaller"):
            self.run_import(huge, "bins.csv")

    def test_a_file_that_is_not_an_export_says_so(self):
        form = Form(
            self.env["flipkart.bin.import.wizard"].with_context(
                default_file_name="bins.pdf"
            )
        )
        form.file = base64.b64encode(b"%PDF-1.4")
        wizard = form.save()
        with self.assertRaisesRegex(Exception, "csv or .xlsx"):
            wizard.action_read_file()
