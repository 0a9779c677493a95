# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Buying a prepaid package in the portal: the purchase (made once, however often it is
asked), its payment through the demo provider (one activation, however often and late the
provider notifies), cancelling, the limit of open purchases, and every route with two
customers, a visitor and no CSRF token; a tour on a desktop and on a phone."""

from datetime import date

from freezegun import freeze_time

from odoo import Command, http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common import IspPortalFixtures
from .test_payment import IspPaymentCommon


@tagged("post_install", "-at_install")
class TestPackagePurchase(IspPaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription.sudo()._isp_set_autopay(False)
        cls.package = cls.package_plan("Hotspot Month", 150000)
        cls.Subscription = cls.env["isp.subscription"]

    @classmethod
    def package_plan(cls, name, price):
        return (
            cls.env["product.template"]
            .create(cls.plan_vals(name=name, list_price=price, connection_type="hotspot"))
            .product_variant_id
        )

    def buy(self, plan=None, partner=None):
        return self.Subscription._isp_portal_buy(partner or self.customer, plan or self.package, self.company)

    def purchase_of(self, invoice):
        return invoice.isp_renewal_subscription_id

    def activations(self, subscription):
        return subscription.message_ids.filtered(lambda m: "Renewal paid" in str(m.body))

    def test_hotspot_plans_are_packages_by_default(self):
        self.assertTrue(self.package.isp_portal_package)
        self.assertFalse(self.plan.isp_portal_package, "a PPPoE plan only when the manager says so")

    def test_bought_paid_twice_and_late_is_activated_once(self):
        with freeze_time("2026-11-10"):
            invoice = self.buy()
            subscription = self.purchase_of(invoice)
            self.assertEqual(self.buy(), invoice, "bought again (a double click): the same invoice")
            self.assertEqual(
                len(
                    self.Subscription.search([("partner_id", "=", self.customer.id), ("state", "=", "draft")])
                ),
                1,
                "and the same subscription",
            )
            self.assertEqual(subscription.state, "draft", "not before it is paid")
            self.assertTrue(subscription.isp_portal_purchase)
            self.assertEqual(subscription.payment_mode, "prepaid")
            self.assertEqual(subscription.partner_id, self.customer)
            self.assertEqual(subscription.company_id, self.company)
            self.assertEqual(subscription.site_id, self.pop, "the customer's site")
            self.assertTrue(subscription.pppoe_username)
            self.assertTrue(subscription.sudo().pppoe_password, "credentials generated")
            self.assertEqual(invoice.state, "posted")
            self.assertEqual(invoice.invoice_line_ids.isp_period_start, date(2026, 11, 10))
            self.assertEqual(invoice.invoice_line_ids.isp_period_end, date(2026, 12, 9))

            transaction = self.isp_demo_online_transaction(invoice, self.provider)
            self.isp_notify_demo(transaction, "pending")  # the provider confirms later
            self.assertEqual(subscription.state, "draft", "not while the payment is pending")
            self.isp_notify_demo(transaction)
            self.assertEqual(subscription.state, "active", "activated at once")
            self.isp_notify_demo(transaction)  # a repeated notification
            invoice._invoice_paid_hook()  # and a late one reaching the hook again
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(len(self.activations(subscription)), 1, "exactly one activation")
        self.assertEqual(len(subscription.plan_period_ids), 1)
        self.assertEqual(len(transaction.payment_id), 1)
        self.assertEqual(subscription.date_start, date(2026, 11, 10))
        self.assertEqual(subscription.billed_until, date(2026, 12, 9))
        self.assertFalse(self.Subscription._isp_portal_purchases(self.customer), "nothing waits")
        with freeze_time("2026-11-11"):
            again = self.buy()
        self.assertNotEqual(self.purchase_of(again), subscription, "a second package is a new purchase")

    def test_open_purchases_are_limited(self):
        plans = [self.package_plan(f"Hotspot {n}", 100000 + n) for n in range(4)]
        with freeze_time("2026-11-10"):
            for plan in plans[:3]:
                self.buy(plan)
            with self.assertRefused(UserError, "3 packages waiting for payment"):
                self.buy(plans[3])
            self.buy(plans[0])  # the waiting one of a plan is still paid
            self.assertEqual(len(self.Subscription._isp_portal_purchases(self.customer)), 3)
            self.env["ir.config_parameter"].sudo().set_param("isp_portal.package_open_limit", "4")
            self.buy(plans[3])
        self.assertEqual(len(self.Subscription._isp_portal_purchases(self.customer)), 4)

    def test_cancel_deletes_the_purchase_and_cancels_its_invoice(self):
        with freeze_time("2026-11-10"):
            invoice = self.buy()
            subscription = self.purchase_of(invoice)
            self.isp_demo_online_transaction(invoice, self.provider)  # a payment form opened, not paid
            self.assertTrue(subscription._isp_portal_cancel_purchase())
        self.assertFalse(subscription.exists())
        self.assertEqual(invoice.state, "cancel")
        self.assertFalse(invoice.isp_renewal_subscription_id)
        self.assertTrue(invoice.message_ids.filtered(lambda m: "Cancelled by the customer" in str(m.body)))
        self.assertFalse(self.Subscription._isp_portal_purchases(self.customer))

    def test_no_cancel_once_the_payment_is_under_way(self):
        with freeze_time("2026-11-10"):
            invoice = self.buy()
            subscription = self.purchase_of(invoice)
            transaction = self.isp_demo_online_transaction(invoice, self.provider)
            self.isp_notify_demo(transaction, "pending")
            with self.assertRefused(UserError, "being confirmed"):
                subscription._isp_portal_cancel_purchase()
            self.isp_notify_demo(transaction)
            with self.assertRefused(UserError, "already paid"):
                subscription._isp_portal_cancel_purchase()
        self.assertEqual(subscription.state, "active")
        self.assertEqual(invoice.state, "posted")

    def test_purchase_paid_on_a_later_day_gets_its_whole_period(self):
        with freeze_time("2026-11-10"):
            old = self.buy()
            subscription = self.purchase_of(old)
        with freeze_time("2026-11-14"):
            invoice = self.buy()
            self.assertNotEqual(invoice, old)
            self.assertEqual(old.state, "cancel")
            self.assertEqual(invoice.invoice_line_ids.isp_period_start, date(2026, 11, 14))
            self.isp_notify_demo(self.isp_demo_online_transaction(invoice, self.provider))
        self.assertEqual(subscription.state, "active")
        self.assertEqual(subscription.date_start, date(2026, 11, 14))
        self.assertEqual(subscription.billed_until, date(2026, 12, 13))

    def test_old_invoice_paid_from_its_own_page_gets_the_whole_period(self):
        """Not through *Pay* (which makes a new invoice), but from *My invoices*: the invoice of
        the 10th, paid on the 14th, starts the service on the 14th."""
        with freeze_time("2026-11-10"):
            invoice = self.buy()
            subscription = self.purchase_of(invoice)
        with freeze_time("2026-11-14"):
            self.isp_notify_demo(self.isp_demo_online_transaction(invoice, self.provider))
        self.assertEqual(subscription.state, "active")
        self.assertEqual(subscription.date_start, date(2026, 11, 14))
        self.assertEqual(subscription.billed_until, date(2026, 12, 13))
        self.assertEqual(subscription.plan_period_ids.date_from, date(2026, 11, 14))
        self.assertEqual(len(self.activations(subscription)), 1)
        self.assertTrue(subscription.message_ids.filtered(lambda m: "the day of payment" in str(m.body)))


@tagged("post_install", "-at_install")
class TestPackagePortal(HttpCase, IspPortalFixtures):
    """Two portal customers and a visitor on every package route."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.isp_demo_provider()
        cls.package = cls.isp_portal_plan("Voucher Hotspot Month", 75000, connection_type="hotspot")
        cls.pppoe_plan = cls.isp_portal_plan("Home PPPoE 20", 200000)
        cls.staff_package = cls.isp_portal_plan(
            "Staff Hotspot", 50000, connection_type="hotspot", isp_self_service=False
        )
        other_company = cls.env["res.company"].create({"name": "Other ISP"})
        cls.foreign_package = cls.isp_portal_plan(
            "Foreign Hotspot", 60000, connection_type="hotspot", company_id=other_company.id
        )
        cls.user_a = cls.isp_portal_user("isp_pkg_a", "Ayu Buyer")
        cls.user_b = cls.isp_portal_user("isp_pkg_b", "Bima Buyer")
        cls.partner_a = cls.user_a.partner_id
        cls.stranger = cls.env["res.users"].create(
            {
                "name": "Not a Customer",
                "login": "isp_pkg_stranger",
                "password": "isp_pkg_stranger",
                "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )

    def post(self, url, **data):
        return self.url_open(
            url, data={"csrf_token": http.Request.csrf_token(self), **data}, allow_redirects=False
        )

    def purchases(self, partner):
        self.env.invalidate_all()
        return self.env["isp.subscription"]._isp_portal_purchases(partner)

    def buy_as_a(self):
        self.authenticate("isp_pkg_a", "isp_pkg_a")
        response = self.post(f"/my/packages/{self.package.id}/buy")
        self.assertEqual(response.status_code, 303)
        return self.purchases(self.partner_a), response

    def test_packages_page_offers_only_packages(self):
        self.authenticate("isp_pkg_a", "isp_pkg_a")
        page = self.url_open("/my/packages").text
        self.assertIn("Voucher Hotspot Month", page)
        for name in ("Home PPPoE 20", "Staff Hotspot", "Foreign Hotspot"):
            self.assertNotIn(name, page)
        self.assertIn("/my/packages", self.url_open("/my").text, "the home entry")
        self.assertIn("o_isp_buy_package_link", self.url_open("/my/services").text)
        for plan in (self.pppoe_plan, self.staff_package, self.foreign_package):
            self.assertEqual(self.post(f"/my/packages/{plan.id}/buy").status_code, 404, plan.name)
        self.assertEqual(self.post("/my/packages/999999999/buy").status_code, 404)
        self.assertFalse(self.purchases(self.partner_a))

    def test_double_post_makes_one_purchase(self):
        purchase, response = self.buy_as_a()
        invoice = self.env["account.move"].search([("isp_renewal_subscription_id", "=", purchase.id)])
        self.assertEqual(len(invoice), 1)
        self.assertIn(f"/my/invoices/{invoice.id}", response.headers["Location"])
        again = self.post(f"/my/packages/{self.package.id}/buy")
        self.assertIn(f"/my/invoices/{invoice.id}", again.headers["Location"])
        self.assertEqual(self.purchases(self.partner_a), purchase, "one purchase, reused")
        self.assertEqual(purchase.partner_id, self.partner_a)
        self.assertEqual((purchase.state, purchase.payment_mode), ("draft", "prepaid"))
        # The customer sees it waiting, with Pay and Cancel, and its invoice says what paying does.
        page = self.url_open("/my/services").text
        self.assertIn("o_isp_purchase_pay", page)
        self.assertIn(f"/my/packages/purchases/{purchase.id}/cancel", page)
        self.assertIn("o_isp_invoice_package", self.url_open(response.headers["Location"]).text)
        pay = self.post(f"/my/packages/purchases/{purchase.id}/pay")
        self.assertIn(f"/my/invoices/{invoice.id}", pay.headers["Location"])
        # Paid through the demo provider: active at once, shown among the services.
        transaction = self.isp_demo_online_transaction(invoice, self.provider)
        self.isp_notify_demo(transaction)
        self.isp_notify_demo(transaction)
        self.env.invalidate_all()
        self.assertEqual(purchase.state, "active")
        self.assertIn(f"/my/services/{purchase.id}", self.url_open("/my/services").text)
        self.assertNotIn("o_isp_purchase_pay", self.url_open("/my/packages").text)
        # Paid: no longer cancelled.
        self.assertEqual(self.post(f"/my/packages/purchases/{purchase.id}/cancel").status_code, 404)
        self.assertEqual(purchase.state, "active")

    def test_owner_cancels(self):
        purchase, response = self.buy_as_a()
        invoice = self.env["account.move"].search([("isp_renewal_subscription_id", "=", purchase.id)])
        response = self.post(f"/my/packages/purchases/{purchase.id}/cancel")
        self.assertEqual(response.status_code, 303)
        self.assertIn("/my/packages?message=cancelled", response.headers["Location"])
        self.env.invalidate_all()
        self.assertFalse(purchase.exists())
        self.assertEqual(invoice.state, "cancel")
        self.assertIn("Your purchase was cancelled", self.url_open("/my/packages?message=cancelled").text)

    def test_limit_is_shown(self):
        self.env["ir.config_parameter"].sudo().set_param("isp_portal.package_open_limit", "1")
        other = self.isp_portal_plan("Voucher Hotspot Week", 25000, connection_type="hotspot")
        self.buy_as_a()
        response = self.post(f"/my/packages/{other.id}/buy")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_isp_package_error", response.text)
        self.assertIn("waiting for payment: pay or cancel", response.text)
        self.assertEqual(len(self.purchases(self.partner_a)), 1)

    def test_other_customer_gets_404(self):
        purchase, _response = self.buy_as_a()
        invoice = self.env["account.move"].search([("isp_renewal_subscription_id", "=", purchase.id)])
        self.authenticate("isp_pkg_b", "isp_pkg_b")
        for action in ("pay", "cancel"):
            self.assertEqual(self.post(f"/my/packages/purchases/{purchase.id}/{action}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/services/{purchase.id}").status_code, 404)
        response = self.url_open(f"/my/invoices/{invoice.id}", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn(f"/my/invoices/{invoice.id}", response.headers["Location"])
        for url in ("/my/packages", "/my/services"):
            page = self.url_open(url).text
            self.assertNotIn(purchase.name, page)
            self.assertNotIn(invoice.name, page)
        # B's own purchase is B's, never A's reused.
        self.post(f"/my/packages/{self.package.id}/buy")
        self.assertEqual(len(self.purchases(self.user_b.partner_id)), 1)
        self.assertEqual(self.purchases(self.partner_a), purchase)
        self.assertTrue(purchase.exists())
        self.assertEqual(invoice.state, "posted")

    def test_visitor_is_sent_to_log_in(self):
        purchase, _response = self.buy_as_a()
        self.logout()
        for url in (
            "/my/packages",
            f"/my/packages/{self.package.id}/buy",
            f"/my/packages/purchases/{purchase.id}/pay",
            f"/my/packages/purchases/{purchase.id}/cancel",
        ):
            data = None if url == "/my/packages" else {"confirm": "1"}
            response = self.url_open(url, data=data, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303), url)
            self.assertIn("/web/login", response.headers["Location"], url)
        self.assertTrue(purchase.exists())
        self.assertEqual(len(self.purchases(self.partner_a)), 1)

    def test_forms_need_the_csrf_token(self):
        purchase, _response = self.buy_as_a()
        for url in (
            f"/my/packages/{self.package.id}/buy",
            f"/my/packages/purchases/{purchase.id}/pay",
            f"/my/packages/purchases/{purchase.id}/cancel",
        ):
            response = self.url_open(url, data={"confirm": "1"}, allow_redirects=False)
            self.assertEqual(response.status_code, 400, url)
        self.assertTrue(purchase.exists())

    def test_portal_user_who_is_not_an_isp_customer(self):
        self.authenticate("isp_pkg_stranger", "isp_pkg_stranger")
        self.assertNotIn("Voucher Hotspot Month", self.url_open("/my/packages").text)
        self.assertEqual(self.post(f"/my/packages/{self.package.id}/buy").status_code, 404)
        self.assertNotIn('href="/my/packages"', self.url_open("/my").text)


class PackageTourCommon(HttpCase, IspPortalFixtures):
    """A hotspot customer with nothing yet, and a package to buy."""

    login = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.isp_demo_provider()
        cls.package = cls.isp_portal_plan("Tour Hotspot Week", 35000, connection_type="hotspot")
        cls.user = cls.isp_portal_user(cls.login, "Tour Package Buyer")

    def buy_and_pay(self):
        self.start_tour("/my", "isp_portal_buy_package", login=self.login, timeout=120)
        self.env.invalidate_all()
        subscription = self.env["isp.subscription"].search([("partner_id", "=", self.user.partner_id.id)])
        self.assertEqual(len(subscription), 1)
        self.assertEqual((subscription.state, subscription.product_id), ("active", self.package))
        self.assertEqual(len(subscription.message_ids.filtered(lambda m: "Renewal paid" in str(m.body))), 1)


@tagged("post_install", "-at_install")
class TestPackageTour(PackageTourCommon):
    """Buys and pays a package in headless Chromium (desktop size)."""

    login = "isp_pkg_tour"

    def test_customer_buys_and_pays_a_package(self):
        self.buy_and_pay()


@tagged("post_install", "-at_install")
class TestPackageTourPhone(PackageTourCommon):
    """The same on a 375-pixel-wide phone screen."""

    login = "isp_pkg_tour_phone"
    browser_size = "375x667"
    touch_enabled = True

    def test_customer_buys_and_pays_a_package_on_a_phone(self):
        self.buy_and_pay()
