import ipaddress
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.isp_base.lib import demo_generator

SUSPENDED_EVERY = 25  # one demo customer in 25 has an unpaid invoice and is suspended
# Static addresses from the shared address space (RFC 6598): one per customer index, never twice.
STATIC_IP_BASE = ipaddress.ip_address("100.64.0.1")


class IspDemoGenerator(models.AbstractModel):
    _inherit = "isp.demo.generator"

    @api.model
    def _generate(self, customer_count=500, seed=42, company_id=None):
        result = super()._generate(customer_count, seed, company_id)
        result["subscriptions"] = self._subscribe(result["rows"], result["customers"])
        return result

    @api.model
    def generate_subscriptions(self, customer_count=500, seed=42):
        """Subscriptions for the customers isp_base's demo data already made."""
        rows = demo_generator.customers(customer_count, seed)
        customers = self.env["res.partner"].search(
            [("is_isp_customer", "=", True), ("national_id", "in", [row["national_id"] for row in rows])]
        )
        by_national_id = {customer.national_id: customer for customer in customers}
        return self._subscribe(rows, [by_national_id[row["national_id"]] for row in rows])

    @api.model
    def _subscribe(self, rows, customers):
        today = fields.Date.context_today(self)
        plans = {
            row["key"]: self.env.ref(f"isp_base.demo_plan_{row['key']}").product_variant_id
            for row in demo_generator.plans()
        }
        values = []
        for index, (row, customer) in enumerate(zip(rows, customers, strict=True)):
            plan = plans[row["plan_key"]]
            values.append(
                {
                    "partner_id": customer.id,
                    "product_id": plan.id,
                    "company_id": customer.company_id.id or self.env.company.id,
                    "site_id": customer.isp_site_id.id,
                    "latitude": customer.partner_latitude,
                    "longitude": customer.partner_longitude,
                    "date_start": today - timedelta(days=(index * 37) % 730),
                    "payment_mode": "prepaid" if plan.connection_type == "hotspot" else "postpaid",
                    "static_ip": str(STATIC_IP_BASE + index)
                    if plan.connection_type == "static_ip"
                    else False,
                }
            )
        subscriptions = self.env["isp.subscription"].create(values)
        subscriptions.action_activate()
        subscriptions.filtered(lambda s: s.id % SUSPENDED_EVERY == 0)._suspend(reason="Demo: invoice overdue")
        return subscriptions
