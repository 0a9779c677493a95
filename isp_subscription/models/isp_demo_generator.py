# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import ipaddress
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.isp_base.lib import demo_generator

from ..lib import invoicing

SUSPENDED_EVERY = 25  # one demo customer in 25 has an unpaid invoice and is suspended
# Static addresses from the shared address space (RFC 6598): one per customer index, never twice.
STATIC_IP_BASE = ipaddress.ip_address("100.64.0.1")
# Companies whose demo bills in rupiah, to switch back once accounting has loaded its chart.
RUPIAH_PARAM = "isp_subscription.demo_rupiah_company_ids"


class IspDemoGenerator(models.AbstractModel):
    _inherit = "isp.demo.generator"

    def _register_hook(self):
        """Accounting installed together with the demo loads its chart of accounts once every
        module is loaded, after the demo data, and the generic chart gives the company USD:
        the demo's plans and pricelists are in rupiah, so every price would be converted.
        Give the demo's companies their rupiah back (while they have no journal items)."""
        super()._register_hook()
        parameters = self.env["ir.config_parameter"].sudo()
        pending = parameters.get_param(RUPIAH_PARAM)
        if pending:
            companies = self.env["res.company"].sudo().browse(int(i) for i in pending.split(",")).exists()
            for company in companies:
                self.sudo()._use_indonesian_rupiah(company)
            parameters.set_param(RUPIAH_PARAM, False)

    @api.model
    def _generate(self, customer_count=500, seed=42, company_id=None, billed_up_to_date=True):
        """isp_base's records plus an active subscription per customer (``subscriptions``),
        billed up to date unless ``billed_up_to_date`` is False (a benchmark that invoices)."""
        result = super()._generate(customer_count, seed, company_id)
        result["subscriptions"] = self._subscribe(result["rows"], result["customers"], billed_up_to_date)
        return result

    @api.model
    def generate_subscriptions(self, customer_count=500, seed=42):
        """Subscriptions for the customers isp_base's demo data already made (the demo data
        file; system administrators). Returns their ids."""
        if not (self.env.is_superuser() or self.env.user._is_system()):
            raise AccessError(self.env._("Only system administrators can generate demo data."))
        return self.sudo()._generate_subscriptions(customer_count, seed).ids

    @api.model
    def _generate_subscriptions(self, customer_count=500, seed=42):
        rows = demo_generator.customers(customer_count, seed)
        customers = self.env["res.partner"].search(
            [("is_isp_customer", "=", True), ("national_id", "in", [row["national_id"] for row in rows])]
        )
        by_national_id = {customer.national_id: customer for customer in customers}
        for company in customers.company_id:
            self._use_indonesian_rupiah(company)
        if customers.company_id:  # and again after the chart of accounts (see _register_hook)
            self.env["ir.config_parameter"].sudo().set_param(
                RUPIAH_PARAM, ",".join(str(i) for i in customers.company_id.ids)
            )
        return self._subscribe(rows, [by_national_id[row["national_id"]] for row in rows])

    @api.model
    def _subscribe(self, rows, customers, billed_up_to_date=True):
        """An active subscription per customer, started up to two years ago. Billed up to
        date, they are invoiced as if a run had been made every day until today: the
        demo's first run invoices at most one period, not two years at once."""
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
        if billed_up_to_date:
            self._bill_up_to(subscriptions, today)
        # A subscription billed before (billed until set) pays no installation fee.
        subscriptions._activate()
        subscriptions.filtered(lambda s: s.id % SUSPENDED_EVERY == 0)._suspend(reason="Demo: invoice overdue")
        return subscriptions

    @api.model
    def _bill_up_to(self, subscriptions, day):
        """Set the billing dates of draft ``subscriptions`` as a run on ``day`` would leave
        them: postpaid, until the end of the last finished period; prepaid, until the end
        of the current one; usage, until the end of the last finished usage month."""
        by_dates = defaultdict(lambda: self.env["isp.subscription"])
        for subscription in subscriptions:
            terms = invoicing.Terms(
                anchor=subscription.date_start,
                period=subscription.billing_period or "monthly",
                prepaid=subscription.payment_mode == "prepaid",
            )
            due = invoicing.due_parts(terms, day)
            by_dates[(due.billed_until or False, due.usage_billed_until or False)] |= subscription
        for (billed_until, usage_billed_until), group in by_dates.items():
            group.sudo().write({"billed_until": billed_until, "usage_billed_until": usage_billed_until})
