# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import AccessError

from ..lib import demo_generator

BATCH_SIZE = 1000


class IspDemoGenerator(models.AbstractModel):
    """Turns lib/demo_generator's data into records: the demo ISP and benchmark data."""

    _name = "isp.demo.generator"
    _description = "ISP Demo Data Generator"

    @api.model
    def generate(self, customer_count=500, seed=42, company_id=None):
        """Create the plans, sites, NAS and ``customer_count`` customers (see ``_generate``).

        Open to RPC, so kept to system administrators and the superuser (data files,
        benchmarks): it creates thousands of records and switches the company's currency.
        Returns the ids of what it made, by kind: ``{"plans": [...], "customers": [...], ...}``.
        """
        if not (self.env.is_superuser() or self.env.user._is_system()):
            raise AccessError(self.env._("Only system administrators can generate demo data."))
        result = self.sudo()._generate(customer_count, seed, company_id)
        return {
            kind: [record.id for record in records.values()] if isinstance(records, dict) else records.ids
            for kind, records in result.items()
            if kind != "rows"
        }

    @api.model
    def _generate(self, customer_count=500, seed=42, company_id=None):
        """The records ``generate`` makes, by kind (plans and sites as dicts by key), and
        the generator's ``rows`` the customers were made from; for Python callers.

        Site codes, NAS addresses and national IDs are unique per company, so a
        second network (for a benchmark, say) goes into another company.
        """
        company = (
            self.env["res.company"].browse(company_id) if company_id else self.env.ref("base.main_company")
        )
        self = self.with_company(company)
        self._use_indonesian_rupiah(company)
        plans = self._create_plans()
        sites_data, nas_data = demo_generator.network(seed)
        sites = self._create_sites(sites_data, company)
        nas = self.env["isp.nas"].create(
            [
                {
                    **{k: v for k, v in row.items() if k != "site_key"},
                    "site_id": sites[row["site_key"]].id,
                    "company_id": company.id,
                }
                for row in nas_data
            ]
        )
        indonesia = self.env.ref("base.id")
        customers = self.env["res.partner"]
        rows = demo_generator.customers(customer_count, seed, sites_data)
        for start in range(0, len(rows), BATCH_SIZE):
            customers |= customers.create(
                [
                    {
                        **{k: v for k, v in row.items() if k not in ("site_key", "plan_key")},
                        "is_isp_customer": True,
                        "country_id": indonesia.id,
                        "company_id": company.id,
                        "isp_site_id": sites[row["site_key"]].id,
                    }
                    for row in rows[start : start + BATCH_SIZE]
                ]
            )
        return {"plans": plans, "sites": sites, "nas": nas, "customers": customers, "rows": rows}

    @api.model
    def _create_plans(self):
        plans = {}
        for row in demo_generator.plans():
            key = row.pop("key")
            xmlid = f"isp_base.demo_plan_{key}"
            plan = self.env.ref(xmlid, raise_if_not_found=False)
            if not plan:
                plan = self.env["product.template"].create(
                    {**row, "is_isp_plan": True, "type": "service", "sale_ok": True, "purchase_ok": False}
                )
                self.env["ir.model.data"].create(
                    {
                        "module": "isp_base",
                        "name": f"demo_plan_{key}",
                        "model": plan._name,
                        "res_id": plan.id,
                        "noupdate": True,
                    }
                )
            plans[key] = plan
        return plans

    @api.model
    def _create_sites(self, sites_data, company):
        sites = {}
        for row in sites_data:  # parents come before their children
            vals = {k: v for k, v in row.items() if k not in ("key", "parent_key", "city")}
            vals["company_id"] = company.id
            if row["parent_key"]:
                vals["parent_id"] = sites[row["parent_key"]].id
            sites[row["key"]] = self.env["isp.site"].create(vals)
        return sites

    @api.model
    def _use_indonesian_rupiah(self, company):
        """Make the company an Indonesian one billing in IDR, when that is still allowed.

        Changing a company's currency is refused once it has journal items, so
        with accounting entries in place the amounts are kept as they are.
        """
        idr = self.env.ref("base.IDR")
        if company.currency_id == idr:
            return
        if "account.move.line" in self.env and self.env["account.move.line"].sudo().search_count(
            [("company_id", "=", company.id)], limit=1
        ):
            return
        idr.active = True
        company.write({"currency_id": idr.id, "country_id": self.env.ref("base.id").id})
        for pricelist in (
            self.env["product.pricelist"].sudo().search([("company_id", "in", [company.id, False])])
        ):
            pricelist.currency_id = idr
