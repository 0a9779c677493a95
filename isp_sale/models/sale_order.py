# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import Command, api, fields, models


class SaleOrder(models.Model):
    """A quotation for an internet service: confirming it creates the subscription, in draft
    (activated on installation), with its add-ons and installation charge. Its lines are
    billed by the subscription's invoicing runs, never by Sales, so nothing is invoiced twice."""

    _inherit = "sale.order"

    isp_plan_id = fields.Many2one(
        "product.product",
        string="Internet Plan",
        domain=[("is_isp_plan", "=", True)],
        check_company=True,
        copy=True,
        help="Confirming the quotation creates a draft subscription to this plan.",
    )
    isp_contract = fields.Selection(
        [("monthly", "Monthly"), ("yearly", "Yearly")], string="Contract", default="monthly", copy=True
    )
    isp_discount_percent = fields.Float(string="Contract Discount (%)", copy=True)
    isp_subscription_ids = fields.One2many("isp.subscription", "sale_order_id", string="Subscriptions")
    isp_subscription_count = fields.Integer(compute="_compute_isp_subscription_count")

    @api.depends("isp_subscription_ids")
    def _compute_isp_subscription_count(self):
        for order in self:
            order.isp_subscription_count = len(order.isp_subscription_ids)

    def action_confirm(self):
        result = super().action_confirm()
        self._isp_create_subscriptions()
        return result

    def _isp_create_subscriptions(self):
        """One draft subscription per confirmed order with a plan (once)."""
        Subscription = self.env["isp.subscription"].sudo()
        for order in self.filtered(lambda o: o.isp_plan_id and not o.isp_subscription_ids):
            partner = order.partner_id.sudo()
            if not partner.is_isp_customer:
                partner.write(
                    {"is_isp_customer": True, "company_id": partner.company_id.id or order.company_id.id}
                )
            lines = order.order_line
            subscription = Subscription.create(
                {
                    "partner_id": partner.id,
                    "product_id": order.isp_plan_id.id,
                    "company_id": order.company_id.id,
                    "sale_order_id": order.id,
                    "isp_contract_months": 12 if order.isp_contract == "yearly" else 1,
                    "isp_contract_discount_percent": order.isp_discount_percent,
                    "addon_ids": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "name": line.product_id.display_name,
                                "quantity": 1,
                                "price_unit": line.price_unit,
                            }
                        )
                        for line in lines
                        if line.isp_role in ("static_ip", "addon")
                    ],
                }
            )
            installation = lines.filtered(lambda line: line.isp_role == "installation")[:1]
            if installation and installation.price_subtotal:
                self.env["isp.subscription.charge"].sudo().create(
                    subscription._charge_values(
                        installation.price_subtotal,
                        subscription._customer_env()._("Installation: %s", order.isp_plan_id.display_name),
                        kind="installation",
                    )
                )
            subscription.message_post(
                body=self.env._("Created from the quotation %s.", order._get_html_link()),
            )
        return True

    def action_view_isp_subscriptions(self):
        """The subscriptions this order created."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("isp_subscription.action_isp_subscriptions")
        action.update(domain=[("sale_order_id", "=", self.id)], context={"create": False})
        if len(self.isp_subscription_ids) == 1:
            action.update(view_mode="form", res_id=self.isp_subscription_ids.id, views=[(False, "form")])
        return action


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    isp_role = fields.Selection(
        [("plan", "Plan"), ("static_ip", "Static IP"), ("addon", "Add-on"), ("installation", "Installation")],
        string="ISP Role",
        copy=True,
        help="Billed by the subscription this quotation creates, not by Sales.",
    )

    @api.depends("isp_role")
    def _compute_qty_to_invoice(self):
        result = super()._compute_qty_to_invoice()
        for line in self.filtered("isp_role"):
            line.qty_to_invoice = 0
        return result
