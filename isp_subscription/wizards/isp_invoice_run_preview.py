# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import Command, api, fields, models

from ..models.isp_invoice_run import PREVIEW_LIMIT


class IspInvoiceRunPreview(models.TransientModel):
    """What a draft invoicing run would invoice now: one line per customer, computed by the
    code the run's jobs use, with nothing created, locked or changed."""

    _name = "isp.invoice.run.preview"
    _description = "Invoicing Run Preview"

    run_id = fields.Many2one("isp.invoice.run", string="Invoicing Run", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id")
    currency_id = fields.Many2one(related="run_id.currency_id")
    customer_count = fields.Integer(string="Customers Due", readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    without_invoice_count = fields.Integer(
        string="Nothing to Pay",
        readonly=True,
        help="Customers due with no amount to invoice (usage within the cap, a free plan): they get "
        "no invoice, and their billing dates move on.",
    )
    amount_untaxed = fields.Monetary(
        string="Untaxed Total", readonly=True, help="Of the invoices shown, in the company's currency."
    )
    summary = fields.Char(readonly=True)
    line_ids = fields.One2many(
        "isp.invoice.run.preview.line", "preview_id", string="Customers Shown", readonly=True
    )

    @api.model
    def _make(self, run):
        """The preview of ``run`` (at most ``PREVIEW_LIMIT`` customers, saying so)."""
        drafts, without_invoice, due = run._preview_drafts(PREVIEW_LIMIT)
        lines, by_currency = [], defaultdict(float)
        for draft in drafts:
            untaxed = run._draft_untaxed(draft)
            by_currency[draft["currency"]] += untaxed
            lines.append(
                Command.create(
                    {
                        "partner_id": draft["partner"].id,
                        "line_count": len(draft["lines"]),
                        "currency_id": draft["currency"].id,
                        "amount_untaxed": untaxed,
                        "credit_note": untaxed < 0,
                        "description": "\n".join(line["values"]["name"] for line in draft["lines"]),
                    }
                )
            )
        company = run.company_id
        total = sum(
            amount
            if currency == company.currency_id
            else currency._convert(amount, company.currency_id, company, run.date)
            for currency, amount in by_currency.items()
        )
        if due > PREVIEW_LIMIT:
            summary = self.env._(
                "%(due)s customers are due: the first %(shown)s are shown.", due=due, shown=PREVIEW_LIMIT
            )
        elif due:
            summary = self.env._("%s customers are due.", due)
        else:
            summary = self.env._("Nothing is due on this date.")
        return self.create(
            {
                "run_id": run.id,
                "customer_count": due,
                "invoice_count": len(drafts),
                "without_invoice_count": without_invoice,
                "amount_untaxed": total,
                "summary": summary,
                "line_ids": lines,
            }
        )

    def action_start_run(self):
        """Start the previewed run (what is due when its jobs run is invoiced)."""
        self.ensure_one()
        self.run_id.action_start()
        return {"type": "ir.actions.act_window_close"}


class IspInvoiceRunPreviewLine(models.TransientModel):
    _name = "isp.invoice.run.preview.line"
    _description = "Invoicing Run Preview Line"
    _order = "id"

    preview_id = fields.Many2one("isp.invoice.run.preview", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    line_count = fields.Integer(string="Lines", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_untaxed = fields.Monetary(string="Untaxed Amount", readonly=True)
    credit_note = fields.Boolean(readonly=True, help="The credits exceed the charges: a credit note is made.")
    description = fields.Text(string="Descriptions", readonly=True)
