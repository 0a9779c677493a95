# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from decimal import Decimal

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ..lib import tariff


class IspTariffBuilder(models.TransientModel):
    """Turn a prospect's needs into a plan, a price and a quotation (``lib/tariff.py``)."""

    _name = "isp.tariff.builder"
    _description = "Tariff Builder"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Prospect", check_company=True)
    users = fields.Integer(default=1, required=True, help="People using the connection at home or at work.")
    traffic_gb = fields.Float(string="Monthly Traffic (GB)", default=100, required=True)
    contract = fields.Selection(
        [("monthly", "Monthly"), ("yearly", "Yearly")], default="monthly", required=True
    )
    yearly_discount_percent = fields.Float(string="Yearly Discount (%)", default=10)
    static_ip = fields.Boolean(string="Static IP")
    static_ip_product_id = fields.Many2one(
        "product.product",
        string="Static IP Add-on",
        default=lambda self: self.env.ref("isp_sale.product_static_ip", raise_if_not_found=False),
        help="Billed every month on plans that do not include a static IP.",
    )
    addon_product_ids = fields.Many2many(
        "product.product",
        string="Add-ons",
        domain=[("is_isp_plan", "=", False), ("sale_ok", "=", True)],
        help="Billed every month with the plan (TV package, router rental...).",
    )
    plan_id = fields.Many2one("product.product", string="Recommended Plan", compute="_compute_recommendation")
    monthly_cost = fields.Monetary(compute="_compute_recommendation")
    monthly_price = fields.Monetary(
        string="Monthly Price under the Contract", compute="_compute_recommendation"
    )
    contract_price = fields.Monetary(compute="_compute_recommendation")
    installation_fee = fields.Monetary(compute="_compute_recommendation")
    explanation = fields.Text(string="Why", compute="_compute_recommendation")

    def _plans(self):
        """The monthly plans on sale in the company."""
        return self.env["product.product"].search(
            [
                ("is_isp_plan", "=", True),
                ("sale_ok", "=", True),
                ("billing_period", "in", (False, "monthly")),
                ("company_id", "in", (False, self.company_id.id)),
            ]
        )

    def _needs(self):
        return tariff.Needs(
            users=self.users,
            traffic_gb=self.traffic_gb,
            contract=self.contract,
            yearly_discount_percent=Decimal(str(self.yearly_discount_percent or 0)),
            static_ip=self.static_ip,
            static_ip_price=Decimal(str(self.static_ip_product_id.lst_price))
            if self.static_ip_product_id
            else None,
            addons_price=sum((Decimal(str(p.lst_price)) for p in self.addon_product_ids), Decimal(0)),
        )

    def _recommendation(self):
        if self.users < 1 or self.traffic_gb < 0:
            return None
        plans = {
            plan.id: tariff.Plan(
                key=plan.id,
                name=plan.display_name,
                price=Decimal(str(plan.lst_price)),
                download_mbps=plan.download_kbps / 1000,
                data_cap_gb=plan.data_cap_gb,
                overage_price_per_gb=Decimal(str(plan.overage_price_per_gb)),
                static_ip_included=plan.connection_type == "static_ip",
                installation_fee=Decimal(str(plan.installation_fee)),
            )
            for plan in self._plans()
        }
        rounding = Decimal(str(self.currency_id.rounding or 0.01))
        return tariff.recommend(plans.values(), self._needs(), rounding)

    @api.depends(
        "users",
        "traffic_gb",
        "contract",
        "yearly_discount_percent",
        "static_ip",
        "static_ip_product_id",
        "addon_product_ids",
        "company_id",
    )
    def _compute_recommendation(self):
        for wizard in self:
            recommendation = wizard._recommendation()
            if not recommendation:
                wizard.update(
                    {
                        "plan_id": False,
                        "monthly_cost": 0,
                        "monthly_price": 0,
                        "contract_price": 0,
                        "installation_fee": 0,
                        "explanation": self.env._("No plan on sale can serve these needs.")
                        if wizard.users >= 1 and wizard.traffic_gb >= 0
                        else self.env._("Enter at least one user and the expected traffic."),
                    }
                )
                continue
            wizard.update(
                {
                    "plan_id": recommendation.offer.plan.key,
                    "monthly_cost": float(recommendation.offer.monthly_cost),
                    "monthly_price": float(recommendation.monthly_price),
                    "contract_price": float(recommendation.contract_price),
                    "installation_fee": float(recommendation.installation_fee),
                    "explanation": "\n".join(wizard._reason_text(r) for r in recommendation.reasons),
                }
            )

    def _money(self, amount):
        return format_amount(self.env, float(amount), self.currency_id)

    def _reason_text(self, reason):
        v = {
            key: f"{value:g}" if isinstance(value, float | Decimal) and key != "overage" else value
            for key, value in reason.values.items()
        }
        code = reason.code
        if code == "speed":
            return self.env._(
                "%(users)s users need about %(needed)s Mbit/s: this plan gives %(speed)s Mbit/s "
                "(%(fitting)s plans are fast enough).",
                **v,
            )
        if code == "too_slow":
            return self.env._(
                "%(users)s users need about %(needed)s Mbit/s, more than any plan: the fastest one "
                "(%(speed)s Mbit/s) is offered.",
                **v,
            )
        if code == "unlimited":
            return self.env._("No data cap: %(traffic)s GB a month costs nothing more.", **v)
        if code == "within_cap":
            return self.env._("%(traffic)s GB a month fits within the plan's %(cap)s GB.", **v)
        if code == "overage":
            return self.env._(
                "%(traffic)s GB a month is beyond the plan's %(cap)s GB: about %(overage)s of overage "
                "a month, included in the monthly cost.",
                traffic=v["traffic"],
                cap=v["cap"],
                overage=self._money(v["overage"]),
            )
        if code == "static_ip_included":
            return self.env._("The static IP is included in this plan.")
        if code == "static_ip_addon":
            return self.env._("The static IP is an add-on at %s a month.", self._money(v["price"]))
        if code == "cheaper_than":
            return self.env._(
                "Cheapest that fits: %(difference)s a month less than %(next)s.",
                difference=self._money(v["difference"]),
                next=v["next"],
            )
        if code == "yearly":
            return self.env._(
                "A yearly contract takes %(discount)s%% off: %(saving)s saved over the year.",
                discount=v["discount"],
                saving=self._money(v["saving"]),
            )
        return code

    def _quotation_note(self, plan):
        """The recommendation and its reasons, for the customer to read on the quotation."""
        reasons = Markup("").join(
            Markup("<li>%s</li>") % line for line in (self.explanation or "").splitlines()
        )
        title = self.env._("Why %s", plan.display_name)
        return Markup("<p><strong>%s</strong></p><ul>%s</ul>") % (title, reasons)

    def action_create_quotation(self):
        """Make the quotation of the recommended plan (Sales or ISP Billing) and open it."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Choose the prospect the quotation is for."))
        recommendation = self._recommendation()
        if not recommendation:
            raise UserError(self.env._("No plan on sale can serve these needs: no quotation made."))
        plan = self.env["product.product"].browse(recommendation.offer.plan.key)
        months = recommendation.contract_months
        discount = float(recommendation.discount_percent)
        lines = [
            Command.create(
                {
                    "product_id": plan.id,
                    "product_uom_qty": months,
                    "price_unit": plan.lst_price,
                    "discount": discount,
                    "isp_role": "plan",
                }
            )
        ]
        if self.static_ip and recommendation.offer.static_ip:
            lines.append(
                Command.create(
                    {
                        "product_id": self.static_ip_product_id.id,
                        "product_uom_qty": months,
                        "price_unit": float(recommendation.offer.static_ip),
                        "discount": discount,
                        "isp_role": "static_ip",
                    }
                )
            )
        for addon in self.addon_product_ids:
            lines.append(
                Command.create(
                    {
                        "product_id": addon.id,
                        "product_uom_qty": months,
                        "price_unit": addon.lst_price,
                        "discount": discount,
                        "isp_role": "addon",
                    }
                )
            )
        if recommendation.installation_fee:
            lines.append(
                Command.create(
                    {
                        "product_id": self.env.ref("isp_sale.product_installation").id,
                        "product_uom_qty": 1,
                        "price_unit": float(recommendation.installation_fee),
                        "isp_role": "installation",
                    }
                )
            )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "isp_plan_id": plan.id,
                "isp_contract": self.contract,
                "isp_discount_percent": discount,
                "order_line": lines,
                "note": self._quotation_note(plan),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
            "target": "current",
        }
