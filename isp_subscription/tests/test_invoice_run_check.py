# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.isp_subscription.models import account_move, isp_invoice_run

from .common import IspBillingCommon

TAX = 1.11  # PPN 11 %
AccountMove = account_move.AccountMove
IspInvoiceRun = isp_invoice_run.IspInvoiceRun


@tagged("post_install", "-at_install")
class TestInvoiceRunCheck(IspBillingCommon):
    """Every batch makes one of its invoices again through Odoo's own path and compares: a
    difference sends the batch through Odoo's path, and says so on the run."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = [cls.new_customer(f"Checked {n}") for n in range(3)]
        for customer in cls.customers:
            cls.subscribe_active(partner=customer)

    def test_every_batch_checks_one_invoice(self):
        original = AccountMove._isp_check_with_odoo
        checked = []

        def spy(this, vals, made):
            checked.append(made)
            return original(this, vals, made)

        with (
            patch.object(isp_invoice_run, "BATCH_SIZE", 2),
            patch.object(AccountMove, "_isp_check_with_odoo", spy),
        ):
            run = self.invoice("2026-11-01")
        self.assertEqual(run.batch_count, 2)
        self.assertEqual(len(checked), 2)
        self.assertFalse(run.issue_ids)
        self.assertFalse(run.check_message)
        # The sample made through Odoo's path was rolled back: one invoice per customer.
        for customer in self.customers:
            self.assertEqual(len(self.invoices(customer)), 1)
        self.assertEqual(len(run.invoice_ids), 3)

    def test_a_difference_sends_the_batch_through_odoo_and_shows_on_the_run(self):
        original = AccountMove._isp_journal_items

        def one_cent_off(this, *args, **kwargs):
            # What an Odoo update changing a rounding rule could do: balanced, but not Odoo's.
            items = original(this, *args, **kwargs)
            product = next(item for item in items if item["display_type"] == "product")
            receivable = next(item for item in items if item["display_type"] == "payment_term")
            for item, cent in ((product, -0.01), (receivable, 0.01)):
                item["balance"] += cent
                item["amount_currency"] += cent
            return items

        with (
            patch.object(AccountMove, "_isp_journal_items", one_cent_off),
            self.assertLogs("odoo.addons.isp_subscription.models.account_move", "WARNING") as logs,
        ):
            run = self.invoice("2026-11-01")
        self.assertIn("differs", logs.output[0])
        self.assertEqual(run.state, "done")
        # Every invoice of the batch is Odoo's own, to the cent.
        self.assertEqual(len(run.invoice_ids), 3)
        for invoice in run.invoice_ids:
            self.assertEqual(invoice.state, "posted")
            self.assertAlmostEqual(invoice.amount_untaxed, 166500)
            self.assertAlmostEqual(invoice.amount_total, 166500 * TAX)
            self.assertAlmostEqual(invoice.amount_residual, 166500 * TAX)
            receivable = invoice.line_ids.filtered(lambda line: line.display_type == "payment_term")
            self.assertAlmostEqual(receivable.balance, 166500 * TAX)
        # ... and the run says what differed, where billing staff look.
        (issue,) = run.issue_ids
        self.assertEqual(issue.kind, "check")
        self.assertIn(issue.partner_id, self.customers)
        self.assertIn("balance", issue.message)
        self.assertIn("(fast path)", issue.message)
        self.assertIn("balance", run.check_message)
        self.assertIn(issue.partner_id.display_name, run.check_message)

    def test_line_values_hook_changes_every_line_and_the_check_agrees(self):
        """Another addon adds to the lines through ``_prepare_invoice_line_values``."""
        original = IspInvoiceRun._prepare_invoice_line_values

        def with_discount(this, *args, **kwargs):
            line = original(this, *args, **kwargs)
            line["values"]["discount"] = 10
            return line

        with patch.object(IspInvoiceRun, "_prepare_invoice_line_values", with_discount):
            run = self.invoice("2026-11-01")
        self.assertFalse(run.issue_ids, "the fast path and Odoo's agree on a discount")
        for invoice in run.invoice_ids:
            self.assertEqual(invoice.invoice_line_ids.discount, 10)
            self.assertAlmostEqual(invoice.amount_total, 166500 * 0.9 * TAX)
