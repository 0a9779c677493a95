# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# What an ISP manager sets for the companies they work in (roles.md: "plans, prices, dunning
# policy, late fees"), without being allowed to change anything else of a company.
ISP_POLICY_FIELDS = frozenset(
    {
        "isp_charge_while_suspended",
        "isp_late_fee_fixed",
        "isp_late_fee_percent",
        "isp_late_fee_min",
        "isp_late_fee_max",
        "isp_late_fee_product_id",
        "isp_late_fee_blocks_reconnect",
        "isp_invoice_zero_amounts",
    }
)


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
    isp_invoice_zero_amounts = fields.Boolean(
        string="Invoice Zero Amounts",
        help="Make an invoice even when everything on it is free (a zero-price plan, say). Off: such "
        "customers get no invoice, and their billing dates move on all the same.",
    )
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

    @api.constrains("isp_late_fee_fixed", "isp_late_fee_percent", "isp_late_fee_min", "isp_late_fee_max")
    def _check_isp_late_fee(self):
        """Refuse at once what the dunning's late fee step could not apply."""
        for company in self:
            for name in (
                "isp_late_fee_fixed",
                "isp_late_fee_percent",
                "isp_late_fee_min",
                "isp_late_fee_max",
            ):
                if company[name] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s cannot be negative (%(company)s).",
                            setting=self._fields[name]._description_string(self.env),
                            company=company.name,
                        )
                    )
            if company.isp_late_fee_percent > 100:
                raise ValidationError(
                    self.env._(
                        "The late fee cannot be more than 100 %% of the amount due (%(company)s).",
                        company=company.name,
                    )
                )
            if company.isp_late_fee_max and company.isp_late_fee_min > company.isp_late_fee_max:
                raise ValidationError(
                    self.env._(
                        "The late fee minimum (%(minimum)s) is above its maximum (%(maximum)s) "
                        "(%(company)s). Set a maximum of 0 for no maximum.",
                        minimum=company.isp_late_fee_min,
                        maximum=company.isp_late_fee_max,
                        company=company.name,
                    )
                )

    @api.model
    def _isp_policy_fields(self):
        """The company fields an ISP manager may set; addons with a policy of their own add theirs."""
        return ISP_POLICY_FIELDS

    def write(self, vals):
        if (
            vals
            and not self.env.su
            and set(vals) <= self._isp_policy_fields()
            and not self.env.user.has_group("base.group_erp_manager")
            and self.env.user.has_group("isp_base.group_isp_manager")
        ):
            # ISP managers set the billing policy of their own companies, and only that.
            if self - self.env.user.company_ids:
                raise AccessError(self.env._("You may only set the late fees of your own companies."))
            return super(ResCompany, self.sudo()).write(vals)
        return super().write(vals)

    isp_retention_years = fields.Integer(
        string="Anonymise Former Customers After (Years)",
        default=0,
        help="Customers whose subscriptions all ended more than this many years ago, and who owe "
        "nothing, are anonymised by a daily scheduled action. 0 turns it off. Choose at least the "
        "period the law keeps invoices for: invoices stay as they were issued.",
    )

    @api.constrains("isp_retention_years")
    def _check_isp_retention_years(self):
        for company in self:
            if company.isp_retention_years < 0:
                raise ValidationError(self.env._("The retention period cannot be negative."))
