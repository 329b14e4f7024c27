import base64

from odoo.tests import Form, tagged

from .common import SmartCase


@tagged("post_install", "-at_install")
class TestSmartReturnsUpload(SmartCase):
    def setUp(self):
        super().setUp()
        self.sandbox.reset_fulfilment()
        self.sandbox.label_delay = 0.0
        self.account.write(
            {"pack_on": "manual", "rtd_at": "manifest", "invoice_creation": "off"}
        )

    def handed_over(self):
        delivery = self.smart_delivery(self.bins[1], 2, picklist="PL-R")
        delivery.action_flipkart_pack()
        delivery.batch_id.action_flipkart_smart_handover()
        self.assertEqual(delivery.state, "done")
        return delivery

    def upload(self, rows):
        wizard = self.env["flipkart.smart.return.upload"].with_context(
            default_file_name="returns.csv"
        )
        form = Form(wizard)
        self.assertEqual(form.account_id, self.account)
        form.file = base64.b64encode("\n".join(rows).encode())
        wizard = form.save()
        wizard.action_read_file()
        wizard.action_import()
        return wizard

    def test_a_returns_file_uploaded_twice_gives_one_receipt_per_return(self):
        delivery = self.handed_over()
        item = delivery.sale_id.order_line.filtered("flipkart_order_item_id")[0]
        rows = [
            "Return Id,Shipment Id,Order Item Id,Quantity,Reason",
            f"R-1,{delivery.flipkart_shipment_id},{item.flipkart_order_item_id},1,damaged",
            f"R-2,UNKNOWN-SHIPMENT,{item.flipkart_order_item_id},1,damaged",
            f"R-3,{delivery.flipkart_shipment_id},{item.flipkart_order_item_id},one,x",
        ]
        wizard = self.upload(rows)
        self.assertIn("1 return receipt(s) created, 0 already", wizard.result)
        self.assertIn(
            "R-2: Return R-2 is for Flipkart shipment UNKNOWN-SHIPMENT", wizard.result
        )
        self.assertIn("line 4: quantity 'one'", wizard.result)
        receipt = self.env["stock.picking"].search([("flipkart_return_id", "=", "R-1")])
        self.assertEqual(receipt.move_line_ids.location_dest_id, self.bins[1])
        wizard = self.upload(rows)  # the same file again: columns remembered
        self.assertIn("0 return receipt(s) created, 1 already", wizard.result)
        self.assertEqual(
            self.env["stock.picking"].search_count(
                [("flipkart_return_id", "=", "R-1")]
            ),
            1,
        )
