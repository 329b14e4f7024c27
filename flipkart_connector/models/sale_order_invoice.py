from odoo import Command, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _flipkart_invoice_received(self, invoice, pdf=None):
        """Flipkart has invoiced this order's shipment: mirror its invoice.

        ``invoice`` is the client's ``Invoice`` of the shipment, ``pdf`` the
        bytes of Flipkart's invoice PDF (or None). Safe to call again: the
        shipment's invoice is found and brought up to date (a draft takes a
        new number, date and PDF; a posted one is only re-checked), never
        created twice. Depending on the account's ``invoice_creation``, a new
        invoice is created as draft, and posted when it matches. Returns the
        invoice, or an empty recordset when there is none.
        """
        self.ensure_one()
        if invoice.shipment_id and invoice.shipment_id != self.flipkart_shipment_id:
            raise ValueError(
                f"Invoice of shipment {invoice.shipment_id} given to order "
                f"{self.name} (shipment {self.flipkart_shipment_id})"
            )
        account = self.flipkart_account_id
        # The same lock as the order import: one worker per shipment.
        self.env["flipkart.shipment.import"]._lock(account, [self.flipkart_shipment_id])
        move = self._flipkart_invoice()
        if not move:
            if account.invoice_creation == "off" or self.state != "sale":
                return move
            move = self._flipkart_create_invoice(invoice)
            if not move:
                return move
        move._flipkart_receive(invoice, pdf)
        move._flipkart_check_invoice()
        if (
            account.invoice_creation == "post"
            and move.state == "draft"
            and not move.flipkart_invoice_mismatch
        ):
            move._flipkart_post()
        return move

    def _flipkart_invoice(self):
        """The shipment's customer invoice: the one made for Flipkart's, else
        one made by hand from the order (adopted, not duplicated)."""
        self.ensure_one()
        Move = self.env["account.move"]
        move = Move.search(
            [
                ("flipkart_account_id", "=", self.flipkart_account_id.id),
                ("flipkart_shipment_id", "=", self.flipkart_shipment_id),
                ("move_type", "=", "out_invoice"),
                ("state", "!=", "cancel"),
            ],
            order="id",
            limit=1,
        )
        if not move:
            move = self.invoice_ids.filtered(
                lambda rec: rec.move_type == "out_invoice" and rec.state != "cancel"
            ).sorted("id")[:1]
            move.write(
                {
                    "flipkart_account_id": self.flipkart_account_id.id,
                    "flipkart_shipment_id": self.flipkart_shipment_id,
                }
            )
        return move

    def _flipkart_create_invoice(self, invoice):
        """The invoice of the order's non-cancelled quantities, the Odoo way
        (linked to the order lines, so the order counts them invoiced)."""
        self.ensure_one()
        lines = [
            Command.create(line._prepare_invoice_line(quantity=line.product_uom_qty))
            for line in self.order_line
            if not line.display_type and line.product_uom_qty > 0
        ]
        if not lines:
            return self.env["account.move"]
        values = self._prepare_invoice()
        if "journal_id" not in values:
            values["journal_id"] = (
                self.env["account.journal"]
                .search(
                    [
                        *self.env["account.journal"]._check_company_domain(
                            self.company_id
                        ),
                        ("type", "=", "sale"),
                    ],
                    limit=1,
                )
                .id
            )
        values.update(
            {
                "invoice_line_ids": lines,
                "ref": invoice.invoice_number or values.get("ref"),
                "invoice_date": invoice.invoice_date or False,
                "flipkart_account_id": self.flipkart_account_id.id,
                "flipkart_shipment_id": self.flipkart_shipment_id,
            }
        )
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .with_context(default_move_type="out_invoice")
            .create(values)
        )
        move.message_post_with_source(
            "mail.message_origin_link",
            render_values={"self": move, "origin": self},
            subtype_xmlid="mail.mt_note",
        )
        return move
