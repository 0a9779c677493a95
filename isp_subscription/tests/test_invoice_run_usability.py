# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import xmlrpc.client
from datetime import date
from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.isp_subscription.wizards import isp_invoice_run_preview

from .common import IspBillingCommon


@tagged("post_install", "-at_install")
class TestInvoiceRunUsability(IspBillingCommon):
    """The invoicing run as billing staff use it: its invoices, their lines' labels, runs
    limited to sites, plans or customers, the preview, zero amounts and companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.isp_billing.write({"company_ids": [Command.link(cls.company.id)], "company_id": cls.company.id})
        cls.other = cls.new_customer("Siti Rahayu")

    def run_as(self, day, user=None, **values):
        """A run on ``day`` made and started by ``user`` (billing staff), with its jobs run."""
        run = self.env["isp.invoice.run"].with_user(user or self.isp_billing).create({"date": day, **values})
        run.action_start()
        self.run_jobs("isp.invoice.run", "_invoice_batch")
        self.run_jobs("isp.invoice.run", "_finish")
        return run

    # --- the run's invoices ------------------------------------------------------

    def test_run_invoices_show_the_customer(self):
        self.subscribe_active()
        self.subscribe_active(partner=self.other, plan=self.faster_plan)
        run = self.run_as("2026-11-01")
        self.assertEqual(run.invoice_ids.partner_id, self.customer | self.other)
        # The run's form lists its invoices with their customer, amount and state.
        arch = etree.fromstring(run.get_views([(False, "form")])["views"]["form"]["arch"])
        columns = [field.get("name") for field in arch.xpath("//field[@name='invoice_ids']/list/field")]
        for column in ("partner_id", "amount_total_in_currency_signed", "state"):
            self.assertIn(column, columns)
        # The Invoices button opens the customer invoices' list with its Customer column shown.
        action = run.action_view_invoices()
        self.assertEqual(action["context"]["default_move_type"], "out_invoice")
        self.assertEqual(self.env["account.move"].search(action["domain"]), run.invoice_ids)
        views = self.env["account.move"].with_user(self.isp_billing).get_views(action["views"])
        arch = etree.fromstring(views["views"]["list"]["arch"])
        customer = arch.xpath("//field[@name='invoice_partner_display_name'][@string='Customer']")
        self.assertTrue(customer)
        self.assertFalse(safe_eval(customer[0].get("column_invisible"), {"context": action["context"]}))
        self.assertEqual(
            set(run.invoice_ids.mapped("invoice_partner_display_name")), {"Budi Santoso", "Siti Rahayu"}
        )

    def test_line_labels_are_kept_whole(self):
        """The line reads "plan, first to last day": the quick path of computed journal items
        and Odoo's own (payment terms with an early discount) keep the label given."""
        early = self.env["account.payment.term"].create(
            {
                "name": "2/10 net 30",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )
        self.other.property_payment_term_id = early
        self.subscribe_active()
        self.subscribe_active(partner=self.other, plan=self.faster_plan, date_start="2026-10-15")
        self.run_as("2026-11-15")
        self.assertEqual(
            self.invoices(self.customer).invoice_line_ids.mapped("name"),
            ["Test 10 Mbps, 10/01/2026 to 10/31/2026"],
        )
        self.assertEqual(
            self.invoices(self.other).invoice_line_ids.mapped("name"),
            ["Test 50 Mbps, 10/15/2026 to 11/14/2026"],
        )
        # Odoo's invoice form shows a label within the product column with the product's
        # name cut out (", 10/01/2026 to ..."): on ISP invoices the label column shows it whole.
        arch = etree.fromstring(
            self.env["account.move"].get_views([(False, "form")])["views"]["form"]["arch"]
        )
        product = arch.xpath("//field[@name='invoice_line_ids']/list/field[@name='product_id']")[0]
        self.assertEqual(product.get("column_invisible"), "parent.isp_invoice")
        self.assertTrue(arch.xpath("//field[@name='isp_invoice']"))

    # --- a run limited to sites, plans or customers ---------------------------------

    def test_run_limited_to_sites_plans_or_customers(self):
        Site = self.env["isp.site"]
        tower = Site.create(
            {
                "name": "Tower",
                "code": "TTWR",
                "site_type": "tower",
                "parent_id": self.pop.id,
                "company_id": self.company.id,
            }
        )
        far_pop = Site.create(
            {"name": "Far POP", "code": "TFAR", "site_type": "pop", "company_id": self.company.id}
        )
        at_tower = self.new_customer("At Tower", isp_site_id=tower.id)
        far = self.new_customer("Far Away", isp_site_id=far_pop.id)
        both = self.new_customer("Two Plans", isp_site_id=far_pop.id)
        near = self.subscribe_active(partner=at_tower)
        far_subscription = self.subscribe_active(partner=far)
        slow = self.subscribe_active(partner=both)
        fast = self.subscribe_active(partner=both, plan=self.faster_plan)
        fee = self.env["isp.subscription.charge"].create(
            {
                "subscription_id": far_subscription.id,
                "product_id": self.plan.id,
                "name": "Cable repair",
                "price_unit": 75000,
                "date": "2026-10-20",
            }
        )
        # Sites: the POP and the tower below it, nobody at the far POP.
        run = self.run_as("2026-11-01", site_ids=[Command.set(self.pop.ids)])
        self.assertEqual(run.invoice_ids.partner_id, at_tower)
        self.assertEqual(near.billed_until, date(2026, 10, 31))
        self.assertFalse(far_subscription.billed_until, "still due for a later run")
        self.assertFalse(fee.invoiced)
        # Plans: only the matching subscription of a customer who has two.
        run = self.run_as("2026-11-01", plan_ids=[Command.set(self.faster_plan.ids)])
        self.assertEqual(run.invoice_ids.partner_id, both)
        self.assertEqual(run.invoice_ids.invoice_line_ids.isp_subscription_id, fast)
        self.assertFalse(slow.billed_until)
        # Customers: everything of theirs, one-time charges included.
        run = self.run_as("2026-11-01", partner_ids=[Command.set(far.ids)])
        self.assertEqual(run.invoice_ids.partner_id, far)
        self.assertTrue(fee.invoiced)
        self.assertEqual(len(run.invoice_ids.invoice_line_ids), 2)
        # What was left out is invoiced by the next full run.
        run = self.run_as("2026-11-01")
        self.assertEqual(run.invoice_ids.invoice_line_ids.isp_subscription_id, slow)
        with self.assertRaisesRegex(UserError, "keeps its date, company, sites, plans and customers"):
            run.with_user(self.isp_billing).write({"plan_ids": [Command.set(self.plan.ids)]})

    # --- preview -----------------------------------------------------------------------

    def test_preview_shows_what_the_run_would_invoice_and_changes_nothing(self):
        subscription = self.subscribe_active()
        self.subscribe_active(partner=self.other, plan=self.faster_plan)
        self.env["isp.subscription.charge"].create(
            {
                "subscription_id": subscription.id,
                "product_id": self.plan.id,
                "name": "Router",
                "price_unit": 300000,
                "date": "2026-10-05",
            }
        )
        run = self.env["isp.invoice.run"].with_user(self.isp_billing).create({"date": "2026-11-01"})
        moves, jobs = self.env["account.move"].search_count([]), self.env["queue.job"].search_count([])
        action = run.action_preview()
        xmlrpc.client.dumps((action,), allow_none=False)  # an RPC client can read it
        preview = self.env[action["res_model"]].with_user(self.isp_billing).browse(action["res_id"])
        self.assertEqual(preview.customer_count, 2)
        self.assertEqual(preview.invoice_count, 2)
        self.assertEqual(preview.summary, "2 customers are due.")
        self.assertAlmostEqual(preview.amount_untaxed, 166500 + 300000 + 450000)
        mine = preview.line_ids.filtered(lambda line: line.partner_id == self.customer)
        self.assertEqual(mine.line_count, 2)
        self.assertAlmostEqual(mine.amount_untaxed, 466500)
        self.assertEqual(mine.description, "Test 10 Mbps, 10/01/2026 to 10/31/2026\nRouter")
        # Nothing was invoiced, queued or moved on.
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        self.assertEqual(self.env["queue.job"].search_count([]), jobs)
        self.assertFalse(subscription.billed_until)
        self.assertEqual(run.state, "draft")
        # A very large run shows its first customers and says so.
        with patch.object(isp_invoice_run_preview, "PREVIEW_LIMIT", 1):
            preview = preview.browse(run.action_preview()["res_id"])
        self.assertEqual(len(preview.line_ids), 1)
        self.assertEqual(preview.summary, "2 customers are due: the first 1 are shown.")
        # A limited run previews only its own customers; then it is started from the preview.
        run.partner_ids = self.other
        preview = preview.browse(run.action_preview()["res_id"])
        self.assertEqual(preview.line_ids.partner_id, self.other)
        preview.action_start_run()
        self.assertEqual(run.state, "running")
        with self.assertRaisesRegex(UserError, "has already started"):
            run.action_preview()

    def test_preview_needs_invoicing_rights(self):
        run = self.env["isp.invoice.run"].create({"date": "2026-11-01"})
        self.isp_user.write({"company_ids": [Command.link(self.company.id)], "company_id": self.company.id})
        with self.assertRaises(AccessError):
            run.with_user(self.isp_user).action_preview()

    # --- zero amounts ------------------------------------------------------------------

    def test_zero_price_plan_makes_no_invoice_but_moves_on(self):
        free = self.env["product.template"].create(self.plan_vals(name="Free Community", list_price=0))
        free = free.product_variant_id
        subscription = self.subscribe_active(plan=free)
        nothing = self.env["isp.subscription.charge"].create(
            {
                "subscription_id": subscription.id,
                "product_id": free.id,
                "name": "Free visit",
                "price_unit": 0,
                "date": "2026-10-10",
            }
        )
        self.subscribe_active(partner=self.other)
        self.assertFalse(self.company.isp_invoice_zero_amounts, "off by default")
        run = self.run_as("2026-11-01")
        self.assertEqual(run.invoice_ids.partner_id, self.other)
        self.assertFalse(self.invoices(self.customer))
        self.assertFalse(run.issue_ids)
        # Its dates moved on, so the next runs do not look at it again before December.
        self.assertEqual(subscription.billed_until, date(2026, 10, 31))
        self.assertEqual(subscription.next_invoice_date, date(2026, 12, 1))
        self.assertTrue(nothing.invoiced)
        second = self.env["isp.invoice.run"].create({"date": "2026-11-01"})
        self.assertNotIn(self.customer.id, second._partners_due())
        # An operator who wants zero invoices says so in the settings.
        settings = self.env["res.config.settings"].create({})
        settings.isp_invoice_zero_amounts = True
        settings.execute()
        self.assertTrue(self.company.isp_invoice_zero_amounts)
        self.run_as("2026-12-01")
        invoice = self.invoices(self.customer)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.amount_total, 0)
        self.assertEqual(invoice.invoice_line_ids.name, "Free Community, 11/01/2026 to 11/30/2026")

    # --- companies ---------------------------------------------------------------------

    def test_billing_user_of_another_company_sees_no_run_or_issue(self):
        self.subscribe_active()
        run = self.run_as("2026-11-01")
        issue = self.env["isp.invoice.run.issue"].create(
            {"run_id": run.id, "partner_id": self.customer.id, "message": "Test issue"}
        )
        self.assertEqual(issue.company_id, self.company)
        second = self.env["res.company"].create({"name": "Second ISP"})
        clerk = new_test_user(
            self.env,
            "billing_second_isp",
            groups="isp_base.group_isp_billing",
            company_id=second.id,
            company_ids=[Command.set(second.ids)],
        )
        env = self.env(user=clerk, context={"allowed_company_ids": second.ids})
        self.assertFalse(env["isp.invoice.run"].search([]))
        self.assertFalse(env["isp.invoice.run.issue"].search([]))
        with self.assertRaises(AccessError):
            env["isp.invoice.run"].browse(run.id).read(["name"])
        with self.assertRaises(AccessError):
            env["isp.invoice.run.issue"].browse(issue.id).read(["message"])
        with self.assertRaises(AccessError):
            env["isp.invoice.run"].browse(run.id).action_preview()
