from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_invoice_zero_amounts = fields.Boolean(
        string="Invoice Zero Amounts",
        help="Make an invoice even when everything on it is free (a zero-price plan, say). Off: such "
        "customers get no invoice, and their billing dates move on all the same.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_invoice_zero_amounts = fields.Boolean(related="company_id.isp_invoice_zero_amounts", readonly=False)
