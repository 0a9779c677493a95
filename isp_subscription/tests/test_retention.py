# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import json
from datetime import date

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import IspBillingCommon

TODAY = date(2026, 11, 30)


@tagged("post_install", "-at_install")
class TestRetention(IspBillingCommon):
    """Former customers anonymised after the company's retention period, invoices left as
    issued; one customer's data exported on request by a manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.isp_billing | cls.isp_manager).write({"company_ids": [(4, cls.company.id)]})
        cls.customer.write(
            {
                "email": "budi@example.com",
                "national_id": "3404010101010001",
                "street": "Jl. Malioboro 1",
                "city": "Yogyakarta",
                "partner_latitude": -7.79,
                "partner_longitude": 110.36,
            }
        )
        cls.old = cls.subscribe_active(date_start="2019-01-01", pppoe_username="budi.home")
        cls.invoice = cls.make_invoice(cls.customer, date(2019, 2, 1))
        cls.pay(cls, cls.invoice)
        cls.old.action_terminate("2020-06-30")
        # Recent leaver, leaver with another subscription still active, leaver who owes money.
        cls.recent = cls.new_customer("Siti Rahayu")
        cls.subscribe_active(partner=cls.recent, date_start="2019-01-01").action_terminate("2024-06-30")
        cls.still_here = cls.new_customer("Eko")
        cls.subscribe_active(partner=cls.still_here, date_start="2019-01-01").action_terminate("2020-06-30")
        cls.subscribe_active(partner=cls.still_here, date_start="2020-07-01")
        cls.debtor = cls.new_customer("Dewi")
        cls.subscribe_active(partner=cls.debtor, date_start="2019-01-01").action_terminate("2020-06-30")
        cls.make_invoice(cls.debtor, date(2020, 7, 1))

    @classmethod
    def make_invoice(cls, partner, due):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_line_ids": [(0, 0, {"product_id": cls.plan.id, "price_unit": 100000})],
            }
        )
        move.action_post()
        return move

    def anonymise(self):
        return self.env["res.partner"]._cron_isp_anonymise(TODAY)

    def test_off_by_default(self):
        self.assertEqual(self.company.isp_retention_years, 0)
        self.anonymise()
        self.assertEqual(self.customer.name, "Budi Santoso")
        self.assertFalse(self.customer.isp_anonymised_date)

    def test_anonymises_only_customers_gone_long_enough(self):
        self.company.isp_retention_years = 5
        self.assertEqual(self.env["res.partner"]._isp_retention_due(TODAY), self.customer)
        self.env.flush_all()
        move_written = self.invoice.write_date
        self.anonymise()
        customer = self.customer
        self.assertEqual(customer.name, f"Former customer {customer.isp_customer_number}")
        for name in ("phone", "mobile", "email", "street", "city", "national_id", "vat"):
            self.assertFalse(customer[name], name)
        self.assertEqual((customer.partner_latitude, customer.partner_longitude), (0, 0))
        self.assertEqual(
            customer.isp_anonymised_date, fields.Date.context_today(customer), "the day it was done"
        )
        self.assertFalse(self.old.pppoe_username)
        self.assertFalse(self.old.sudo().pppoe_password)
        messages = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", customer.id)]
        )
        self.assertEqual(len(messages), 1, "only the note that the data was removed")
        for partner in (self.recent, self.still_here, self.debtor):
            self.assertFalse(partner.isp_anonymised_date, partner.name)
        # The invoice: still posted, balanced, paid, with the name it was issued to.
        invoice = self.invoice
        invoice.invalidate_recordset()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(invoice.invoice_partner_display_name, "Budi Santoso")
        self.assertEqual(invoice.write_date, move_written, "the posted move was not written")
        self.assertAlmostEqual(sum(invoice.line_ids.mapped("debit")), sum(invoice.line_ids.mapped("credit")))
        self.assertAlmostEqual(invoice.amount_total, 100000 * 1.11)
        self.assertEqual(invoice.partner_id, customer, "the invoice still belongs to the customer")
        # Once only.
        self.assertFalse(self.env["res.partner"]._isp_retention_due(TODAY))

    def test_export_for_a_manager_only(self):
        action = self.customer.with_user(self.isp_manager).action_isp_export_data()
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        attachment = self.env["ir.attachment"].browse(attachment_id)
        data = json.loads(base64.b64decode(attachment.datas))
        self.assertEqual(data["contact"]["name"], "Budi Santoso")
        self.assertEqual(data["contact"]["national_id"], "3404010101010001")
        self.assertEqual([s["pppoe_username"] for s in data["subscriptions"]], ["budi.home"])
        self.assertEqual([i["number"] for i in data["invoices"]], [self.invoice.name])
        self.assertEqual(data["invoices"][0]["payment_state"], "paid")
        with self.assertRaises(AccessError):
            self.customer.with_user(self.isp_billing).action_isp_export_data()
        # The export goes with the rest once the customer is anonymised.
        self.company.isp_retention_years = 5
        self.anonymise()
        self.assertFalse(attachment.exists())
