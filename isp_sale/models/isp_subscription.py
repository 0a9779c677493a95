# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from dateutil.relativedelta import relativedelta

from odoo import fields, models


class IspSubscription(models.Model):
    """A subscription sold through a quotation: its contract (months, discount) and the
    installation charged by the quotation rather than by the plan's fee."""

    _inherit = "isp.subscription"

    sale_order_id = fields.Many2one(
        "sale.order", string="Quotation", readonly=True, copy=False, index="btree_not_null"
    )
    isp_contract_months = fields.Integer(string="Contract (Months)", readonly=True, copy=False, default=1)
    isp_contract_discount_percent = fields.Float(string="Contract Discount (%)", readonly=True, copy=False)

    def _activate(self):
        """As the base, but the installation the quotation charged is not charged again, and
        a yearly contract's discount goes on each of its 12 monthly invoices as a credit."""
        quoted = {s.id for s in self if s.charge_ids.filtered(lambda c: c.kind == "installation")}
        result = super()._activate()
        for subscription in self:
            if subscription.id in quoted:
                fees = subscription.charge_ids.filtered(lambda c: c.kind == "installation" and not c.invoiced)
                fees.sorted("id")[1:].sudo().unlink()
            subscription._isp_contract_discounts()
        return result

    def _isp_contract_discounts(self):
        """A credit per month of the contract: the discount on the plan and its add-ons."""
        self.ensure_one()
        if self.isp_contract_months <= 1 or not self.isp_contract_discount_percent:
            return
        monthly = self.product_id.lst_price + sum(a.price_unit * a.quantity for a in self.addon_ids)
        amount = self.currency_id.round(monthly * self.isp_contract_discount_percent / 100)
        if not amount:
            return
        env = self._customer_env()
        self.env["isp.subscription.charge"].sudo().create(
            [
                self._charge_values(
                    -amount,
                    env._(
                        "Contract discount %(percent)s%%, month %(month)s of %(months)s",
                        percent=self.isp_contract_discount_percent,
                        month=month + 1,
                        months=self.isp_contract_months,
                    ),
                    kind="credit",
                    day=self.date_start + relativedelta(months=month),
                )
                for month in range(self.isp_contract_months)
            ]
        )
