# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common import IspBillingCommon


@tagged("post_install", "-at_install")
class TestJournalItems(IspBillingCommon):
    """The invoicing run computes an invoice's journal items itself and skips Odoo's line
    synchronisation. Each case here makes the same invoice both ways and compares every
    journal item: what the run posts must be what Odoo would have posted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.company.id)], limit=1
        )
        cls.included_tax = cls.env["account.tax"].create(
            {
                "name": "PPN 11% included",
                "amount": 11,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
            }
        )
        cls.local_tax = cls.env["account.tax"].create(
            {"name": "Local 2.5%", "amount": 2.5, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.export_tax = cls.env["account.tax"].create(
            {"name": "Export 0%", "amount": 0, "amount_type": "percent", "type_tax_use": "sale"}
        )
        income = cls.plan.with_company(cls.company).product_tmpl_id.get_product_accounts()["income"]
        cls.export_income = income.copy({"code": "400999", "name": "Export income"})
        cls.export = cls.env["account.fiscal.position"].create(
            {
                "name": "Export",
                "tax_ids": [Command.create({"tax_src_id": cls.tax.id, "tax_dest_id": cls.export_tax.id})],
                "account_ids": [
                    Command.create({"account_src_id": income.id, "account_dest_id": cls.export_income.id})
                ],
            }
        )
        cls.installments = cls.env["account.payment.term"].create(
            {
                "name": "30% now, the rest in 30 days",
                "line_ids": [
                    Command.create({"value": "percent", "value_amount": 30, "nb_days": 0}),
                    Command.create({"value": "percent", "value_amount": 70, "nb_days": 30}),
                ],
            }
        )
        cls.untaxed_product = cls.env["product.product"].create(
            {"name": "Cable repair", "type": "service", "taxes_id": False}
        )

    def invoice_vals(self, partner, lines, move_type="out_invoice", currency=None):
        vals = {
            "move_type": move_type,
            "partner_id": partner.id,
            "invoice_date": date(2026, 11, 1),
            "journal_id": self.journal.id,
            "company_id": self.company.id,
            "currency_id": (currency or self.company.currency_id).id,
            "invoice_line_ids": [
                Command.create(
                    {"product_id": product.id, "name": name, "quantity": quantity, "price_unit": price}
                )
                for product, name, quantity, price in lines
            ],
        }
        if not partner.property_payment_term_id:
            vals["invoice_date_due"] = date(2026, 11, 1)
        return vals

    def journal_items(self, move):
        # The receivable lines are named after the invoice's number.
        return sorted(
            (
                line.display_type,
                line.account_id.code,
                line.partner_id.id,
                line.currency_id.name,
                round(line.balance, 2),
                round(line.amount_currency, 2),
                round(line.tax_base_amount, 2),
                tuple(line.tax_ids.ids),
                tuple(line.tax_tag_ids.ids),
                line.tax_repartition_line_id.id,
                line.tax_tag_invert,
                line.date_maturity or False,
                (line.name or "").replace(move.name or "/", "<number>"),
                sorted((line.analytic_distribution or {}).items()),
            )
            for line in move.line_ids
        )

    maxDiff = None

    def assert_same_as_odoo(self, vals):
        Move = self.env["account.move"]
        expected = Move.create(vals)
        (completed,) = Move._isp_with_journal_items([vals])
        self.assertTrue(completed, "Odoo's own path should not be needed here")
        made = Move.with_context(skip_invoice_sync=True, skip_invoice_line_sync=True).create(completed)
        self.assertEqual(self.journal_items(made), self.journal_items(expected))
        self.assertEqual(Move._isp_invoice_differences(made, expected), [])
        for field in ("amount_untaxed", "amount_tax", "amount_total", "amount_residual", "invoice_date_due"):
            self.assertEqual(made[field], expected[field], field)
        self.assertEqual(made.fiscal_position_id, expected.fiscal_position_id)
        self.assertEqual(made.invoice_payment_term_id, expected.invoice_payment_term_id)
        (made | expected).with_context(skip_invoice_sync=True).action_post()
        self.assertEqual(self.journal_items(made), self.journal_items(expected))
        return made

    def test_taxed_lines_with_rounding(self):
        customer = self.new_customer("Rounding")
        lines = [
            (self.plan, "Plan, part of a month", 0.3548, 166500.33),
            (self.faster_plan, "Plan", 1, 450000),
            (self.untaxed_product, "Repair", 3, 12345.67),
        ]
        self.assert_same_as_odoo(self.invoice_vals(customer, lines))

    def test_analytic_distribution_models_apply(self):
        plan = self.env["account.analytic.plan"].create({"name": "Areas"})
        area = self.env["account.analytic.account"].create({"name": "North", "plan_id": plan.id})
        self.env["account.analytic.distribution.model"].create(
            {"product_id": self.plan.id, "analytic_distribution": {str(area.id): 100}}
        )
        customer = self.new_customer("Analytics")
        made = self.assert_same_as_odoo(
            self.invoice_vals(
                customer, [(self.plan, "Plan", 1, 166500), (self.faster_plan, "Plan", 1, 450000)]
            )
        )
        self.assertEqual(made.invoice_line_ids.mapped("analytic_distribution"), [{str(area.id): 100}, False])

    def test_included_and_two_taxes(self):
        self.faster_plan.taxes_id = self.included_tax
        self.capped_plan.taxes_id = self.tax | self.local_tax
        customer = self.new_customer("Taxes")
        lines = [(self.faster_plan, "Included", 1, 450000), (self.capped_plan, "Two taxes", 2.5, 5000)]
        self.assert_same_as_odoo(self.invoice_vals(customer, lines))

    def test_fiscal_position_maps_taxes_and_accounts(self):
        customer = self.new_customer("Abroad", property_account_position_id=self.export.id)
        made = self.assert_same_as_odoo(self.invoice_vals(customer, [(self.plan, "Plan", 1, 166500)]))
        self.assertEqual(made.invoice_line_ids.tax_ids, self.export_tax)
        self.assertEqual(made.invoice_line_ids.account_id, self.export_income)

    def test_payment_term_with_installments(self):
        customer = self.new_customer("Installments", property_payment_term_id=self.installments.id)
        made = self.assert_same_as_odoo(self.invoice_vals(customer, [(self.plan, "Plan", 1, 166500)]))
        self.assertEqual(len(made.line_ids.filtered(lambda line: line.display_type == "payment_term")), 2)

    def test_foreign_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.assertNotEqual(self.company.currency_id, eur)
        self.env["res.currency.rate"].create(
            {"name": "2026-10-01", "currency_id": eur.id, "company_id": self.company.id, "rate": 0.000057317}
        )
        customer = self.new_customer("Euro")
        made = self.assert_same_as_odoo(
            self.invoice_vals(
                customer, [(self.plan, "Plan", 1, 10.49), (self.capped_plan, "GB", 3.3, 0.37)], currency=eur
            )
        )
        self.assertNotEqual(made.amount_total_signed, made.amount_total)

    def test_credit_note(self):
        customer = self.new_customer("Credit")
        self.assert_same_as_odoo(
            self.invoice_vals(customer, [(self.plan, "Unused days", 0.4, 166500)], move_type="out_refund")
        )

    def test_early_payment_discount_is_left_to_odoo(self):
        early = self.env["account.payment.term"].create(
            {
                "name": "2% within 10 days",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )
        customer = self.new_customer("Early", property_payment_term_id=early.id)
        vals = self.invoice_vals(customer, [(self.plan, "Plan", 1, 166500)])
        self.assertEqual(self.env["account.move"]._isp_with_journal_items([vals]), [None])
        # ... and the run still invoices such a customer, through Odoo's synchronisation.
        self.subscribe_active(partner=customer)
        self.invoice("2026-11-01")
        invoice = self.invoices(customer)
        self.assertEqual(invoice.invoice_payment_term_id, early)
        self.assertAlmostEqual(invoice.amount_total, 166500 * 1.11)

    def test_taxes_rounded_globally(self):
        self.company.tax_calculation_rounding_method = "round_globally"
        self.capped_plan.taxes_id = self.tax | self.local_tax
        customer = self.new_customer("Globally")
        lines = [
            (self.plan, "Part of a month", 0.3548, 166500.33),
            (self.capped_plan, "GB", 3.33, 1234.567),
            (self.faster_plan, "Plan", 1, 450000.05),
            # 11% of 0.05 is 0.0055: 0.01 a line rounded per line, 0.03 for the five rounded globally.
            *[(self.plan, f"Day {day}", 1, 0.05) for day in range(1, 6)],
        ]
        made = self.assert_same_as_odoo(self.invoice_vals(customer, lines))
        # A case where the rounding method matters.
        self.company.tax_calculation_rounding_method = "round_per_line"
        per_line = self.env["account.move"].create(self.invoice_vals(customer, lines))
        self.assertNotEqual(made.amount_tax, per_line.amount_tax)

    def test_fixed_and_cascading_taxes(self):
        """A fixed tax per unit, and a tax included in the base of the next (``include_base_amount``)."""
        fixed = self.env["account.tax"].create(
            {
                "name": "Levy 1,500",
                "amount": 1500,
                "amount_type": "fixed",
                "type_tax_use": "sale",
                "sequence": 1,
            }
        )
        excise = self.env["account.tax"].create(
            {
                "name": "Excise 10% in the base",
                "amount": 10,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "include_base_amount": True,
                "sequence": 2,
            }
        )
        self.tax.sequence = 3
        self.faster_plan.taxes_id = excise | self.tax
        self.capped_plan.taxes_id = fixed | self.tax
        customer = self.new_customer("Cascade")
        lines = [
            (self.faster_plan, "Excise then PPN", 1, 450000.33),
            (self.capped_plan, "Levy and PPN", 2.5, 5000.01),
            (self.plan, "PPN", 0.5, 166500),
        ]
        made = self.assert_same_as_odoo(self.invoice_vals(customer, lines))
        cascading = made.invoice_line_ids.filtered(lambda line: line.product_id == self.faster_plan)
        # PPN on the price and the excise: 450,000.33 * 1.1 * 1.11.
        self.assertAlmostEqual(cascading.price_total, 450000.33 * 1.1 * 1.11, delta=0.02)

    def test_invoice_address_is_a_child_contact(self):
        company = self.new_customer(
            "PT Warung Sejahtera",
            is_company=True,
            property_payment_term_id=self.installments.id,
            property_account_position_id=self.export.id,
        )
        invoicing = self.env["res.partner"].create(
            {"name": "Accounts payable", "parent_id": company.id, "type": "invoice"}
        )
        self.env["res.partner"].create({"name": "Shop", "parent_id": company.id, "type": "delivery"})
        made = self.assert_same_as_odoo(self.invoice_vals(invoicing, [(self.plan, "Plan", 1, 166500)]))
        self.assertEqual(made.partner_id, invoicing)
        self.assertEqual(made.commercial_partner_id, company)
        self.assertEqual(made.line_ids.partner_id, company)
        self.assertEqual(made.fiscal_position_id, self.export)

    def test_fiscal_position_found_from_country_and_state(self):
        """Tax by location: a fiscal position applied automatically to a province."""
        indonesia = self.indonesia
        states = self.env["res.country.state"].search([("country_id", "=", indonesia.id)], limit=2)
        if len(states) < 2:
            states = self.env["res.country.state"].create(
                [
                    {"name": "Daerah Istimewa Yogyakarta", "code": "YO", "country_id": indonesia.id},
                    {"name": "Jawa Tengah", "code": "JT", "country_id": indonesia.id},
                ]
            )
        yogya, central_java = states
        regional_tax = self.env["account.tax"].create(
            {"name": "Regional 10%", "amount": 10, "amount_type": "percent", "type_tax_use": "sale"}
        )
        regional = self.env["account.fiscal.position"].create(
            {
                "name": "Regional",
                "auto_apply": True,
                "country_id": indonesia.id,
                "state_ids": [Command.set(yogya.ids)],
                "tax_ids": [Command.create({"tax_src_id": self.tax.id, "tax_dest_id": regional_tax.id})],
            }
        )
        customer = self.new_customer("Yogya", state_id=yogya.id)
        made = self.assert_same_as_odoo(self.invoice_vals(customer, [(self.plan, "Plan", 1, 166500)]))
        self.assertEqual(made.fiscal_position_id, regional)
        self.assertEqual(made.invoice_line_ids.tax_ids, regional_tax)
        # Served elsewhere: the delivery address decides, as on any invoice.
        elsewhere = self.new_customer("Yogya, served in Central Java", state_id=yogya.id, is_company=True)
        self.env["res.partner"].create(
            {"name": "Site", "parent_id": elsewhere.id, "type": "delivery", "state_id": central_java.id}
        )
        made = self.assert_same_as_odoo(self.invoice_vals(elsewhere, [(self.plan, "Plan", 1, 166500)]))
        self.assertNotEqual(made.fiscal_position_id, regional)
        self.assertEqual(made.invoice_line_ids.tax_ids, self.tax)

    def test_foreign_currency_at_the_rate_of_the_invoice_date(self):
        sgd = self.env.ref("base.SGD")
        sgd.active = True
        self.assertNotEqual(self.company.currency_id, sgd)
        self.env["res.currency.rate"].create(
            [
                {"name": day, "currency_id": sgd.id, "company_id": self.company.id, "rate": rate}
                for day, rate in (("2026-10-01", 1.3125), ("2026-11-01", 1.3377), ("2026-11-02", 1.4))
            ]
        )
        customer = self.new_customer("Dollar")
        made = self.assert_same_as_odoo(
            self.invoice_vals(
                customer, [(self.plan, "Plan", 1, 9.99), (self.capped_plan, "GB", 2.37, 0.33)], currency=sgd
            )
        )
        self.assertAlmostEqual(made.amount_total_signed, made.amount_total / 1.3377, delta=0.02)

    def test_one_entry_point_keeps_the_order(self):
        """Fast and Odoo-made invoices (an early payment discount) come back in the given order."""
        early = self.env["account.payment.term"].create(
            {
                "name": "2% within 10 days",
                "early_discount": True,
                "discount_percentage": 2,
                "discount_days": 10,
                "line_ids": [Command.create({"value": "percent", "value_amount": 100, "nb_days": 30})],
            }
        )
        customers = [
            self.new_customer("First"),
            self.new_customer("Early", property_payment_term_id=early.id),
            self.new_customer("Third"),
            self.new_customer("Early too", property_payment_term_id=early.id),
            self.new_customer("Fifth"),
        ]
        vals_list = [self.invoice_vals(customer, [(self.plan, "Plan", 1, 166500)]) for customer in customers]
        moves, difference = self.env["account.move"]._isp_create_invoices(vals_list)
        self.assertIsNone(difference)
        self.assertEqual(moves.partner_id.ids, [customer.id for customer in customers])
        self.assertEqual(moves.mapped("invoice_payment_term_id"), early)
        self.assertEqual(len(moves.exists()), 5)
