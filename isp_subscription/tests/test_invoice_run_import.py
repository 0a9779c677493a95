# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import csv
import io
from datetime import date

from odoo import Command
from odoo.tests import tagged
from odoo.tools import file_open

from .common import IspBillingCommon

OPTIONS = {
    "has_headers": True,
    "quoting": '"',
    "separator": ",",
    "encoding": "utf-8",
    "date_format": "%Y-%m-%d",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
}


@tagged("post_install", "-at_install")
class TestImportFromAnotherSystem(IspBillingCommon):
    """readme/USAGE.md, "Moving from another system": the sample CSV files imported with
    Odoo's import by billing staff, the drafts activated, then the first run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.isp_billing.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        # The sample's plans, with an installation fee that the imported customers never pay.
        Product = cls.env["product.product"]
        for name, price in (("Home 10 Mbps", 166500), ("Home 20 Mbps", 250000)):
            plan = Product.search([("name", "=", name), ("is_isp_plan", "=", True)], limit=1)
            if not plan:  # a database without demo data
                plan = Product.create(cls.plan_vals(name=name, list_price=price))
            plan.installation_fee = 250000

    def import_csv(self, model, path):
        """Import the file as the Import button of the list does, as billing staff."""
        with file_open(path, "rb") as file:
            content = file.read()
        header = next(csv.reader(io.StringIO(content.decode())))
        wizard = (
            self.env["base_import.import"]
            .with_user(self.isp_billing)
            .create(
                {
                    "res_model": model,
                    "file": content,
                    "file_name": path.split("/")[-1],
                    "file_type": "text/csv",
                }
            )
        )
        result = wizard.execute_import(header, header, dict(OPTIONS))
        self.assertEqual(result["messages"], [])
        return self.env[model].browse(result["ids"])

    def test_sample_import_then_activate_invoices_from_the_day_after_billed_until(self):
        customers = self.import_csv("res.partner", "isp_subscription/demo/import_customers.csv")
        self.assertEqual(len(customers), 3)
        self.assertTrue(all(customers.mapped("is_isp_customer")))
        self.assertEqual(customers.company_id, self.company)
        self.assertTrue(all(customers.mapped("isp_customer_number")))
        subscriptions = self.import_csv("isp.subscription", "isp_subscription/demo/import_subscriptions.csv")
        self.assertEqual(subscriptions.partner_id, customers)
        self.assertEqual(set(subscriptions.mapped("state")), {"draft"})
        siti = subscriptions.filtered(lambda s: s.pppoe_username == "siti.rahayu")
        self.assertEqual(siti.billed_until, date(2026, 10, 14))
        self.assertEqual(siti.partner_id, self.env.ref("old_system.customer_1001"))

        # Select the drafts, Activate.
        subscriptions.with_user(self.isp_billing).action_activate()
        self.assertEqual(set(subscriptions.mapped("state")), {"active"})
        self.assertFalse(subscriptions.charge_ids, "no installation fee for customers of another system")
        # Importing the file again updates the same customers (its id column), not new ones.
        again = self.import_csv("res.partner", "isp_subscription/demo/import_customers.csv")
        self.assertEqual(again, customers)

        run = self.env["isp.invoice.run"].with_user(self.isp_billing).create({"date": "2026-12-01"})
        run.action_start()
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        names = {line.partner_id.name: line.name for line in run.invoice_ids.invoice_line_ids}
        self.assertEqual(
            names,
            {
                # Postpaid, billed until 10-14: the period 10-15..11-14, ended.
                "Siti Rahayu": "Home 10 Mbps, 10/15/2026 to 11/14/2026",
                # Postpaid, billed until 10-31: November, ended.
                "Agus Wibowo": "Home 20 Mbps, 11/01/2026 to 11/30/2026",
                # Prepaid, billed until 11-19: the period from 11-20, invoiced in advance.
                "Dewi Lestari": "Home 10 Mbps, 11/20/2026 to 12/19/2026",
            },
        )
        self.assertEqual(len(run.invoice_ids.invoice_line_ids), 3, "one line each: no fee, nothing before")
