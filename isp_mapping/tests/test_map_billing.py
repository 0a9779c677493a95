# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo.addons.isp_subscription.tests.common import IspBillingCommon

from .common import IspMappingCommon


class TestMapBilling(IspMappingCommon, IspBillingCommon):
    """Amounts due and overdue invoices on the map, as the subscriptions compute them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.isp_user, cls.isp_technician):
            user.company_ids |= cls.company

    def test_amount_due_and_overdue_invoice(self):
        subscription = self.place("Owes", self.ap1, -7.7512, 110.4012, online=True, payment_mode="prepaid")
        _data, rows = self.map_of(subscription, user=self.isp_technician)
        self.assertEqual(rows[subscription.id]["amount_due"], 0)
        self.assertEqual(rows[subscription.id]["colour"], "green")
        self.invoice(self.today)
        moves = self.invoices(subscription.partner_id)
        self.assertTrue(moves)
        moves.sudo().invoice_date_due = self.today
        subscription.invalidate_recordset(["amount_due"])
        _data, rows = self.map_of(subscription, user=self.isp_technician)
        row = rows[subscription.id]
        self.assertGreater(row["amount_due"], 0)
        self.assertAlmostEqual(row["amount_due"], subscription.amount_due)
        self.assertFalse(row["overdue"], "due today is not overdue yet")
        self.assertEqual(row["colour"], "green")
        moves.sudo().invoice_date_due = self.today - timedelta(days=1)
        _data, rows = self.map_of(subscription, user=self.isp_user)
        self.assertTrue(rows[subscription.id]["overdue"])
        self.assertEqual(rows[subscription.id]["colour"], "orange")
        # the search filter says the same
        Subscription = self.env["isp.subscription"].with_user(self.isp_user)
        self.assertIn(subscription, Subscription.search([("map_overdue", "=", True)]))
        self.assertNotIn(subscription, Subscription.search([("map_overdue", "=", False)]))
        self.assertTrue(subscription.map_overdue)
        self.pay(moves)
        _data, rows = self.map_of(subscription, user=self.isp_user)
        self.assertEqual((rows[subscription.id]["amount_due"], rows[subscription.id]["colour"]), (0, "green"))
        self.assertNotIn(subscription, Subscription.search([("map_overdue", "=", True)]))
