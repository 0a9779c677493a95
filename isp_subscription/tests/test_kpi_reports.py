# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..lib import kpi
from .common import IspBillingCommon

REPORTS = (
    "isp.report.subscription.month",
    "isp.report.kpi.month",
    "isp.report.receivable.aging",
    "isp.report.revenue",
    "isp.report.usage",
    "isp.report.site.contention",
)
GB = 10**9


@tagged("post_install", "-at_install")
class TestKpiReports(IspBillingCommon):
    """Every KPI against a fixture computed by hand: six subscriptions over the three months
    before the current one (A, B, C), with plan changes, a suspension and reconnection, a
    termination, invoices, payments and usage. The expected figures are written out below,
    worked out on paper from the story, not by the reports' code.

    Story (prices per month unless said; Basic 10 Mbit/s 100,000, Pro 50 Mbit/s 300,000,
    Yearly 20 Mbit/s 1,200,000 a year = 100,000 a month):
      S1 customer 1, Basic from A-5, upgraded to Pro on B-10             tower
      S2 customer 2, Pro from Z-15 (the month before A), Basic from C-1  tower
      S3 customer 3, Basic from Z-20, suspended A-20, reconnected B-5    POP
      S4 customer 4, Basic from Z-3, terminated B-15                     POP
      S5 customer 1, Yearly from B-2                                     tower
      S6 customer 5, Basic from C-25, suspended C-28 (still)             POP
      S7 customer 6, Basic, started and terminated today                 POP
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        this_month = cls.today.replace(day=1)
        cls.month_z, cls.month_a, cls.month_b, cls.month_c = (
            this_month - relativedelta(months=n) for n in (4, 3, 2, 1)
        )
        cls.isp_billing.company_ids |= cls.company
        cls.isp_billing.company_id = cls.company

        def plan(name, price, kbps, period="monthly"):
            return (
                cls.env["product.template"]
                .create(
                    cls.plan_vals(
                        name=name,
                        list_price=price,
                        download_kbps=kbps,
                        billing_period=period,
                        taxes_id=[Command.set([])],
                    )
                )
                .product_variant_id
            )

        cls.basic = plan("KPI Basic", 100000, 10000)
        cls.pro = plan("KPI Pro", 300000, 50000)
        cls.yearly = plan("KPI Yearly", 1200000, 20000, "yearly")
        cls.pop.uplink_capacity_mbps = 50
        cls.tower = cls.env["isp.site"].create(
            {
                "name": "KPI Tower",
                "code": "KPIT",
                "parent_id": cls.pop.id,
                "company_id": cls.company.id,
                "uplink_capacity_mbps": 20,
            }
        )
        cities = ["Sleman", "Sleman", "Bantul", "Bantul", "Bantul", "Bantul"]
        sites = [cls.tower, cls.tower, cls.pop, cls.pop, cls.pop, cls.pop]
        cls.customers = [
            cls.new_customer(
                f"KPI Customer {n + 1}", city=city, company_id=cls.company.id, isp_site_id=site.id
            )
            for n, (city, site) in enumerate(zip(cities, sites, strict=True))
        ]
        c1, c2, c3, c4, c5, c6 = cls.customers

        def day(month, number):
            return month + timedelta(days=number - 1)

        def start(customer, product, first_day, site):
            return cls.subscribe_active(partner=customer, plan=product, date_start=first_day, site_id=site.id)

        a, b, c = cls.month_a, cls.month_b, cls.month_c
        cls.s1 = start(c1, cls.basic, day(a, 5), cls.tower)
        cls.s2 = start(c2, cls.pro, day(cls.month_z, 15), cls.tower)
        cls.s3 = start(c3, cls.basic, day(cls.month_z, 20), cls.pop)
        cls.s4 = start(c4, cls.basic, day(cls.month_z, 3), cls.pop)
        cls.s5 = start(c1, cls.yearly, day(b, 2), cls.tower)
        cls.s6 = start(c5, cls.basic, day(c, 25), cls.pop)
        cls.s1.change_plan(cls.pro.id, day(b, 10), timing="now")
        cls.s2.change_plan(cls.basic.id, day(c, 1), timing="now")
        with freeze_time(day(a, 20)):
            cls.s3.action_suspend(reason="test")
        with freeze_time(day(b, 5)):
            cls.s3.action_reconnect()
        cls.s4.action_terminate(day(b, 15))
        with freeze_time(day(c, 28)):
            cls.s6.action_suspend(reason="test")
        cls.s6.sudo().online_while_suspended = True
        cls.s7 = start(c6, cls.basic, cls.today, cls.pop)
        cls.s7.action_terminate(cls.today)

        # invoices (untaxed) and payments; due dates counted back from today
        def invoice(
            customer, subscription, product, amount, invoice_day, due_days_ago, move_type="out_invoice"
        ):
            move = cls.env["account.move"].create(
                {
                    "move_type": move_type,
                    "partner_id": customer.id,
                    "invoice_date": invoice_day,
                    "invoice_date_due": cls.today - timedelta(days=due_days_ago),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": amount,
                                "quantity": 1,
                                "tax_ids": [Command.clear()],
                                "isp_subscription_id": subscription.id,
                            }
                        )
                    ],
                }
            )
            move.action_post()
            return move

        cls.inv1 = invoice(c1, cls.s1, cls.basic, 100000, day(a, 5), 100)  # unpaid: 90+
        cls.inv2 = invoice(c2, cls.s2, cls.pro, 300000, day(b, 1), 45)  # 100,000 paid: 200,000 in 31-60
        cls.inv3 = invoice(c3, cls.s3, cls.basic, 100000, day(c, 1), 10)  # paid
        cls.inv4 = invoice(c4, cls.s4, cls.basic, 100000, day(c, 2), -5)  # not due yet
        cls.inv5 = invoice(c1, cls.s5, cls.yearly, 1200000, day(c, 3), 75)  # unpaid: 61-90
        cls.refund = invoice(c2, cls.s2, cls.pro, 50000, day(c, 5), 0, "out_refund")
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.inv2.ids
        ).create({"amount": 100000}).action_create_payments()
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.inv3.ids
        ).create({}).action_create_payments()

        # usage: three past months, and the last days for the sites' peaks
        cls.env["isp.usage.daily"].create(
            [
                {"subscription_id": s.id, "day": d, "bytes_down": down * GB, "bytes_up": up * GB}
                for s, d, down, up in [
                    (cls.s1, day(a, 10), 10, 2),
                    (cls.s1, day(b, 10), 20, 5),
                    (cls.s2, day(b, 20), 30, 0),
                    (cls.s3, day(c, 5), 5, 1),
                    (cls.s1, cls.today - timedelta(days=1), 54, 0),  # 5 Mbit/s over the day
                    (cls.s2, cls.today - timedelta(days=1), 21.6, 0),  # 2 Mbit/s
                    (cls.s3, cls.today - timedelta(days=2), 86.4, 0),  # 8 Mbit/s
                ]
            ]
        )
        # a second company, whose figures must stay out of the first's
        cls.other_company = cls.env["res.company"].create(
            {"name": "Other ISP", "currency_id": cls.company.currency_id.id}
        )
        other_customer = cls.new_customer("Other Customer", company_id=cls.other_company.id)
        cls.env["isp.subscription"].with_company(cls.other_company).create(
            {
                "partner_id": other_customer.id,
                "product_id": cls.basic.id,
                "company_id": cls.other_company.id,
                "date_start": day(a, 1),
            }
        ).action_activate()
        cls.env["isp.dashboard"].with_user(cls.isp_billing).refresh_reports()

    def as_user(self, user):
        return self.env(user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids))

    def billing_env(self):
        return self.env(user=self.isp_billing, context={"allowed_company_ids": [self.company.id]})

    def by_month(self, fields_):
        rows = self.billing_env()["isp.report.kpi.month"].search_read(
            [("month", "in", [self.month_a, self.month_b, self.month_c])], ["month", *fields_]
        )
        return {
            {self.month_a: "A", self.month_b: "B", self.month_c: "C"}[row["month"]]: tuple(
                round(row[f], 2) for f in fields_
            )
            for row in rows
        }

    def test_mrr_arpu_counts_and_churn_by_month(self):
        fields_ = [
            "mrr",
            "active_count",
            "active_customers",
            "arpu",
            "suspended_count",
            "new_count",
            "terminated_count",
            "terminated_total",
            "in_service_at_start",
            "churn_rate",
        ]
        self.assertEqual(
            self.by_month(fields_),
            {
                # A: S1 100k + S2 300k + S4 100k (S3 suspended); customers 1, 2, 4; S2-S4 in service before
                "A": (500000, 3, 3, 166666.67, 1, 1, 0, 0, 3, 0),
                # B: S1 300k + S2 300k + S3 100k + S5 100k; customers 1, 2, 3; S4 gone: 1 of 4
                "B": (800000, 4, 3, 266666.67, 0, 1, 1, 1, 4, 25),
                # C: S1 300k + S2 100k + S3 100k + S5 100k (S6 suspended from its first month)
                "C": (600000, 4, 3, 200000, 1, 1, 0, 1, 4, 0),
            },
        )

    def test_mrr_movement(self):
        self.assertEqual(
            self.by_month(
                ["mrr_new", "mrr_upgrade", "mrr_downgrade", "mrr_churn", "mrr_reactivation", "mrr_change"]
            ),
            {
                "A": (100000, 0, 0, -100000, 0, 0),  # S1 new, S3 suspended
                "B": (100000, 200000, 0, -100000, 100000, 300000),  # S5 new, S1 up, S4 gone, S3 back
                "C": (0, 0, -200000, 0, 0, -200000),  # S2 down; S6 never brought MRR
            },
        )
        Month = self.billing_env()["isp.report.subscription.month"]
        movements = {
            (row.subscription_id, row.month): row.movement
            for row in Month.search([("subscription_id", "in", (self.s3 | self.s6).ids)])
        }
        # the view classifies as lib/kpi.py does, for every row
        rows = Month.search([("company_id", "=", self.company.id)], order="subscription_id, month")
        had_mrr = {}
        for row in rows:
            self.assertEqual(
                row.movement, kpi.movement(row.previous_mrr, row.mrr, had_mrr.get(row.subscription_id, False))
            )
            had_mrr[row.subscription_id] = had_mrr.get(row.subscription_id, False) or row.mrr > 0
        self.assertEqual(movements[self.s3, self.month_z], "new")
        self.assertEqual(movements[self.s3, self.month_a], "churn")
        self.assertEqual(movements[self.s3, self.month_b], "reactivation")
        self.assertEqual(movements[self.s6, self.month_c], "none")
        self.assertFalse(Month.search([("subscription_id", "=", self.s4.id), ("month", ">", self.month_b)]))

    def test_receivables_aging(self):
        Aging = self.billing_env()["isp.report.receivable.aging"]
        buckets = {
            bucket: amount for bucket, amount in Aging._read_group([], ["bucket"], ["amount_residual:sum"])
        }
        self.assertEqual(buckets, {"not_due": 100000, "31_60": 200000, "61_90": 1200000, "90_plus": 100000})
        self.assertEqual(Aging.search([("move_id", "=", self.inv2.id)]).days_overdue, 45)
        for row in Aging.search([]):
            self.assertEqual(row.bucket, kpi.aging_bucket(row.days_overdue))

    def test_revenue_by_plan_site_area_and_month(self):
        Revenue = self.billing_env()["isp.report.revenue"]

        def total(groupby):
            return {
                (key.display_name if hasattr(key, "display_name") else key): amount
                for key, amount in Revenue._read_group([], [groupby], ["revenue:sum"])
            }

        # plans as invoiced: Basic INV1 + INV3 + INV4, Pro INV2 less the credit note, Yearly INV5
        self.assertEqual(total("plan_id"), {"KPI Basic": 300000, "KPI Pro": 250000, "KPI Yearly": 1200000})
        self.assertEqual(total("site_id"), {"Test POP / KPI Tower": 1550000, "Test POP": 200000})
        self.assertEqual(total("city"), {"Sleman": 1550000, "Bantul": 200000})
        months = {month: amount for month, amount in Revenue._read_group([], ["date:month"], ["revenue:sum"])}
        self.assertEqual(
            {month.replace(day=1): amount for month, amount in months.items()},
            {self.month_a: 100000, self.month_b: 300000, self.month_c: 1350000},
        )

    def test_usage_by_plan_site_and_top_users(self):
        Usage = self.billing_env()["isp.report.usage"]
        top = Usage._read_group([], ["partner_id"], ["gb_total:sum"], order="gb_total:sum desc")
        self.assertEqual(
            [(partner.name, round(gb, 1)) for partner, gb in top],
            [("KPI Customer 3", 92.4), ("KPI Customer 1", 91.0), ("KPI Customer 2", 51.6)],
        )
        by_plan = {
            plan.name: round(gb, 1) for plan, gb in Usage._read_group([], ["product_id"], ["gb_total:sum"])
        }
        self.assertEqual(by_plan, {"KPI Pro": 91.0, "KPI Basic": 144.0})
        load = {
            (site.name, day): round(gb, 1)
            for site, day, gb in Usage._read_group(
                [("day", ">=", self.today - timedelta(days=2))], ["site_id", "day:day"], ["gb_total:sum"]
            )
        }
        self.assertEqual(
            load,
            {
                ("KPI Tower", self.today - timedelta(days=1)): 75.6,
                ("Test POP", self.today - timedelta(days=2)): 86.4,
            },
        )

    def test_contention_per_site(self):
        Contention = self.billing_env()["isp.report.site.contention"]
        rows = {
            row.site_id: (
                row.subscription_count,
                row.sold_mbps,
                row.uplink_capacity_mbps,
                round(row.contention_ratio, 2),
                round(row.peak_mbps, 2),
                row.peak_day,
                round(row.peak_utilisation, 1),
            )
            for row in Contention.search([("site_id", "in", (self.pop | self.tower).ids)])
        }
        yesterday, before = self.today - timedelta(days=1), self.today - timedelta(days=2)
        self.assertEqual(
            rows,
            {
                # S1 Pro 50 + S2 Basic 10 + S5 Yearly 20 = 80 on a 20 Mbit/s uplink; busiest day 5 + 2 Mbit/s
                self.tower: (3, 80, 20, 4.0, 7.0, yesterday, 35.0),
                # the tower's 80 and S3's 10 (S4 terminated, S6 suspended, S7 gone); S3's 8 Mbit/s day
                self.pop: (4, 90, 50, 1.8, 8.0, before, 16.0),
            },
        )

    def test_dashboard(self):
        data = self.env["isp.dashboard"].with_env(self.billing_env()).get_kpis()
        figures = {figure["key"]: figure["value"] for figure in data["figures"]}
        self.assertEqual(
            figures,
            {
                "mrr": 600000,  # S1 Pro 300k, S2, S3, S5 100k each
                "arpu": 200000,  # over customers 1, 2, 3
                "active": 4,
                "suspended": 1,  # S6
                "overdue": 1500000,  # INV2 200k + INV5 1.2M + INV1 100k
                "new": 1,  # S7
                "churned": 1,  # S7
                "churn_rate": 20,  # 1 of S1, S2, S3, S5, S6 in service when the month began
                "provisioning": 0,
                "online_suspended": 1,
            },
        )
        # each figure opens its list: the suspended one lists S6
        action = next(f["action"] for f in data["figures"] if f["key"] == "suspended")
        self.assertEqual(self.billing_env()[action["res_model"]].search(action["domain"]), self.s6)
        action = next(f["action"] for f in data["figures"] if f["key"] == "overdue")
        self.assertEqual(
            self.billing_env()[action["res_model"]].search(action["domain"]),
            self.inv1 | self.inv2 | self.inv5,
        )
        self.assertTrue(data["reports_refreshed_at"])
        chart = {row["month"]: row["mrr"] for row in data["charts"]["mrr"]}
        self.assertEqual(chart[fields.Date.to_string(self.month_c)], 600000)

    def test_roles(self):
        for user in (self.isp_user, self.isp_technician):
            env = self.as_user(user)
            with self.assertRaises(AccessError):
                env["isp.dashboard"].get_kpis()
            for model in REPORTS:
                with self.assertRaises(AccessError):
                    env[model].search([], limit=1)
            with self.assertRaises(AccessError):
                env["isp.dashboard"].refresh_reports()
        for user in (self.isp_billing, self.isp_manager):
            env = self.as_user(user)
            self.assertTrue(env["isp.dashboard"].get_kpis()["figures"])
            for model in REPORTS:
                env[model].search([], limit=1)

    def test_companies_are_kept_apart(self):
        other_billing = new_test_user(
            self.env,
            "other_billing",
            groups="isp_base.group_isp_billing",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        env = self.as_user(other_billing)
        rows = env["isp.report.kpi.month"].search([("month", "=", self.month_a)])
        self.assertEqual(rows.mapped("mrr"), [100000])
        self.assertEqual(rows.company_id, self.other_company)
        # the first company's figures are out of reach, whatever the domain
        self.assertFalse(env["isp.report.kpi.month"].search([("company_id", "=", self.company.id)]))
        self.assertEqual(env["isp.dashboard"].get_kpis()["figures"][0]["value"], 100000)
        # and the first company's billing user does not see the other's subscription
        self.assertEqual(self.by_month(["mrr"])["A"], (500000,))
