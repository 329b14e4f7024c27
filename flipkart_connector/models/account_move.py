import json

from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..flipkart import Invoice, invoice_matching


class AccountMove(models.Model):
    _inherit = "account.move"

    flipkart_account_id = fields.Many2one(
        "flipkart.account", index=True, readonly=True, copy=False
    )
    flipkart_shipment_id = fields.Char(
        string="Flipkart Shipment ID", index=True, readonly=True, copy=False
    )
    flipkart_invoice_number = fields.Char(
        string="Flipkart Invoice", readonly=True, copy=False
    )
    flipkart_invoice_date = fields.Date(readonly=True, copy=False)
    flipkart_invoice_data = fields.Text(
        readonly=True,
        copy=False,
        help="Flipkart's invoice as received (JSON), kept for audit and re-checks.",
    )
    flipkart_invoice_mismatch = fields.Boolean(
        string="Flipkart Mismatch",
        index=True,
        readonly=True,
        copy=False,
        help="Amounts or GST differ from Flipkart's invoice of the shipment.",
    )
    flipkart_mismatch_reason = fields.Text(
        string="Flipkart Differences", readonly=True, copy=False
    )

    def action_flipkart_check_invoice(self):
        """Compare again with Flipkart's invoice as last received."""
        moves = self.filtered("flipkart_invoice_data")
        if not moves:
            raise UserError(_("No Flipkart invoice data was received for this."))
        moves._flipkart_check_invoice()
        return True

    # Flipkart's invoice -----------------------------------------------------

    def _flipkart_receive(self, invoice, pdf=None):
        """Keep Flipkart's invoice data and PDF; a draft also takes its
        number (as reference) and date. A posted invoice keeps its own, so
        a difference shows in the check instead."""
        self.ensure_one()
        values = {
            "flipkart_invoice_number": invoice.invoice_number or False,
            "flipkart_invoice_date": invoice.invoice_date or False,
            "flipkart_invoice_data": json.dumps(
                invoice_matching.invoice_payload(invoice), indent=1, sort_keys=True
            ),
        }
        if self.state == "draft":
            if invoice.invoice_number:
                values["ref"] = invoice.invoice_number
            if invoice.invoice_date:
                values["invoice_date"] = invoice.invoice_date
        self.write(values)
        if pdf:
            self._flipkart_attach_pdf(invoice, pdf)

    def _flipkart_attach_pdf(self, invoice, pdf):
        self.ensure_one()
        name = f"Flipkart invoice {invoice.invoice_number or invoice.shipment_id}.pdf"
        Attachment = self.env["ir.attachment"]
        attachment = Attachment.search(
            [
                ("res_model", "=", self._name),
                ("res_id", "=", self.id),
                ("name", "=", name),
            ],
            limit=1,
        )
        if attachment:
            if attachment.raw != pdf:
                attachment.raw = pdf
        else:
            attachment = Attachment.create(
                {
                    "name": name,
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
            # no_new_invoice: it is the invoice already, not one to import.
            self.with_context(no_new_invoice=True).message_post(
                body=_(
                    "Flipkart's invoice %(number)s of %(date)s.",
                    number=invoice.invoice_number or "?",
                    date=invoice.invoice_date or "?",
                ),
                attachment_ids=attachment.ids,
            )
        # Flipkart's PDF is the legal invoice the buyer got: show it first.
        if self.message_main_attachment_id != attachment:
            self.message_main_attachment_id = attachment

    def _flipkart_check_invoice(self):
        """Compare with Flipkart's invoice data; flag or clear the mismatch."""
        for move in self.filtered("flipkart_invoice_data"):
            invoice = Invoice.from_json(json.loads(move.flipkart_invoice_data))
            move._flipkart_flag(move._flipkart_invoice_problems(invoice))
        return True

    def _flipkart_invoice_problems(self, invoice, rate_checked_elsewhere=()):
        """What differs from Flipkart's ``invoice``, in sentences."""
        self.ensure_one()
        return invoice_matching.differences(
            invoice,
            self._flipkart_matching_lines(),
            self.amount_total,
            # Flipkart prints the seller's own number when the seller
            # invoiced first (the Odoo name), else its own (the ref).
            reference=self.ref
            if self.ref == invoice.invoice_number
            else self.name or self.ref or "",
            invoice_date=self.invoice_date or False,
            _=self.env._,
            rate_checked_elsewhere=frozenset(rate_checked_elsewhere),
        )

    def _flipkart_matching_lines(self):
        """The product lines as plain data for :mod:`invoice_matching`."""
        self.ensure_one()
        lines = []
        for line in self.invoice_line_ids.filtered(
            lambda rec: rec.display_type == "product"
        ):
            items = line.sale_line_ids.filtered("flipkart_order_item_id")
            leaves = line.tax_ids.flatten_taxes_hierarchy()
            kinds = {_gst_kind(tax) for tax in leaves}
            lines.append(
                invoice_matching.OdooLine(
                    order_item_id=items[:1].flipkart_order_item_id or None,
                    amount=line.price_total,
                    # Cess is not part of Flipkart's GST rate.
                    rate=sum(
                        tax.amount
                        for tax in leaves
                        if tax.amount_type == "percent" and _gst_kind(tax) != "cess"
                    ),
                    kinds=frozenset(kinds & set(invoice_matching.GST_KINDS)),
                )
            )
        return lines

    def _flipkart_flag(self, problems):
        """Flag (once: one chatter message per new set of differences, one
        activity) or clear the mismatch and close its activity."""
        self.ensure_one()
        reason = "\n".join(problems)
        summary = _("Flipkart invoice mismatch")
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = self.activity_ids.filtered(
            lambda act: act.activity_type_id == todo and act.summary == summary
        )
        if not problems:
            if self.flipkart_invoice_mismatch:
                self.write(
                    {
                        "flipkart_invoice_mismatch": False,
                        "flipkart_mismatch_reason": False,
                    }
                )
                self.message_post(body=_("Now matches Flipkart's invoice."))
            activities.action_feedback(feedback=_("Matches Flipkart's invoice now."))
            return
        if self.flipkart_invoice_mismatch and reason == self.flipkart_mismatch_reason:
            return
        self.write(
            {"flipkart_invoice_mismatch": True, "flipkart_mismatch_reason": reason}
        )
        note = Markup("<p>%s</p><ul>%s</ul>") % (
            _(
                "This invoice does not match Flipkart's invoice %(number)s:",
                number=self.flipkart_invoice_number or "?",
            ),
            Markup().join(Markup("<li>%s</li>") % problem for problem in problems),
        )
        self.message_post(body=note)
        if activities:
            activities.note = note
            return
        # Accountants need not see Flipkart accounts to be assigned by one.
        account = self.flipkart_account_id.sudo()
        user = account.accountant_id or account.user_id or self.env.user
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=note,
            user_id=user.id,
        )

    def _flipkart_post(self):
        """Post a matching invoice; if Odoo refuses (lock date, missing
        setting), leave it in draft and say why rather than fail the run."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.action_post()
        except UserError as error:
            self.message_post(
                body=_(
                    "Matches Flipkart's invoice but could not be posted: %(error)s",
                    error=error.args[0] if error.args else error,
                )
            )


def _gst_kind(tax):
    """igst, cgst, sgst or cess for an Indian tax (its tags, else its group)."""
    kind = tax.l10n_in_tax_type
    if not kind:
        group = (tax.tax_group_id.name or "").lower()
        kind = group if group in ("igst", "cgst", "sgst", "cess") else False
    return kind
