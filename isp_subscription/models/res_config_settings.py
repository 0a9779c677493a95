# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    isp_charge_while_suspended = fields.Boolean(
        related="company_id.isp_charge_while_suspended", readonly=False
    )
    isp_invoice_zero_amounts = fields.Boolean(related="company_id.isp_invoice_zero_amounts", readonly=False)
    isp_late_fee_fixed = fields.Monetary(related="company_id.isp_late_fee_fixed", readonly=False)
    isp_late_fee_percent = fields.Float(related="company_id.isp_late_fee_percent", readonly=False)
    isp_late_fee_min = fields.Monetary(related="company_id.isp_late_fee_min", readonly=False)
    isp_late_fee_max = fields.Monetary(related="company_id.isp_late_fee_max", readonly=False)
    isp_late_fee_product_id = fields.Many2one(related="company_id.isp_late_fee_product_id", readonly=False)
    isp_late_fee_blocks_reconnect = fields.Boolean(
        related="company_id.isp_late_fee_blocks_reconnect", readonly=False
    )
    isp_sms_provider = fields.Selection(related="company_id.isp_sms_provider", readonly=False)
    isp_sms_gateway_url = fields.Char(related="company_id.isp_sms_gateway_url", readonly=False)
    isp_sms_gateway_token = fields.Char(related="company_id.isp_sms_gateway_token", readonly=False)
    isp_sms_sender = fields.Char(related="company_id.isp_sms_sender", readonly=False)
    isp_retention_years = fields.Integer(related="company_id.isp_retention_years", readonly=False)
