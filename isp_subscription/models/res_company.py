from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    isp_charge_while_suspended = fields.Boolean(
        string="Charge While Suspended",
        help="Postpaid subscriptions pay for the days they were suspended too.",
    )
    isp_late_fee_fixed = fields.Monetary(string="Late Fee", currency_field="currency_id")
    isp_late_fee_percent = fields.Float(string="Late Fee (% of the amount due)")
    isp_late_fee_min = fields.Monetary(string="Late Fee Minimum", currency_field="currency_id")
    isp_late_fee_max = fields.Monetary(
        string="Late Fee Maximum", currency_field="currency_id", help="0 means no maximum."
    )
    isp_late_fee_product_id = fields.Many2one("product.product", string="Late Fee Product")
    isp_late_fee_blocks_reconnect = fields.Boolean(
        string="Late Fees Must Be Paid to Reconnect",
        help="A late fee is invoiced at once, and a customer suspended for debt is reconnected "
        "only once it is paid too.",
    )
    isp_sms_provider = fields.Selection(
        [("http_json", "HTTP gateway (JSON)")],
        string="SMS Gateway",
        help="How SMS and WhatsApp messages leave Odoo. Leave empty to keep them queued.",
    )
    isp_sms_gateway_url = fields.Char(string="Gateway URL")
    isp_sms_gateway_token = fields.Char(string="Gateway Token", groups="base.group_system")
    isp_sms_sender = fields.Char(string="Sender ID")
