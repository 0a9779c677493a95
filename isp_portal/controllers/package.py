# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Buying a prepaid package in the portal (``/my/packages``).

A package is a self-service plan marked *Prepaid Package* (hotspot plans by default) of the
customer's company. Buying it makes (or reuses) a draft prepaid subscription of the customer
and its first invoice, then sends the customer to Odoo's payment page: paying it starts the
service at once (:meth:`account.move._invoice_paid_hook`). Until it is paid the customer
sees it as waiting for payment and may cancel it. Forms are POST (CSRF-checked); another
customer's purchase, or a plan that is not offered, is a 404.
"""

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from .payment import IspPaymentPortal


class IspPackagePortal(IspPaymentPortal):
    # --- what is offered to whom ----------------------------------------------------

    def _isp_package_company(self):
        partner = self._isp_partner()
        return partner.company_id or request.env.user.company_id

    def _isp_packages_domain(self):
        return [
            ("is_isp_plan", "=", True),
            ("isp_self_service", "=", True),
            ("isp_portal_package", "=", True),
            ("sale_ok", "=", True),
            ("connection_type", "!=", "static_ip"),
            ("company_id", "in", (False, self._isp_package_company().id)),
        ]

    def _isp_may_buy_packages(self):
        """Only the portal's ISP customers buy packages (staff sell to the others)."""
        return bool(self._isp_partner().is_isp_customer)

    def _isp_packages(self):
        """The plans the logged-in customer may buy as a package (sudo), cheapest first."""
        if not self._isp_may_buy_packages():
            return request.env["product.product"]
        return (
            request.env["product.product"].sudo().search(self._isp_packages_domain(), order="list_price, id")
        )

    def _isp_package(self, plan_id):
        """The offered package ``plan_id``, else a 404."""
        if not self._isp_may_buy_packages():
            raise request.not_found()
        plan = (
            request.env["product.product"]
            .sudo()
            .search([("id", "=", plan_id), *self._isp_packages_domain()], limit=1)
        )
        if not plan:
            raise request.not_found()
        return plan

    def _isp_purchase(self, subscription_id):
        """The logged-in customer's own unpaid portal purchase, else a 404."""
        subscription = self._isp_subscription(subscription_id, states=("draft",))
        if not subscription.isp_portal_purchase:
            raise request.not_found()
        return subscription

    def _isp_purchases_values(self):
        """The customer's unpaid purchases, each with the invoice to pay (no new invoice)."""
        purchases = request.env["isp.subscription"]._isp_portal_purchases(self._isp_partner())
        invoices = purchases._isp_portal_purchase_invoices().filtered(
            lambda m: m.state == "posted" and m.payment_state != "reversed"
        )
        return [
            {
                "subscription": purchase,
                "invoice": invoices.filtered(lambda m, p=purchase: m.isp_renewal_subscription_id == p)[-1:],
                "paying": purchase._isp_portal_paying(),
            }
            for purchase in purchases
        ]

    def _isp_packages_values(self, error=None, message=None):
        return self._isp_values(
            page_name="isp_packages",
            packages=self._isp_packages(),
            isp_purchases=self._isp_purchases_values(),
            isp_currency=self._isp_package_company().currency_id,
            error=error,
            message=message,
        )

    # --- home and My services -----------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            values["isp_packages_enabled"] = self._isp_may_buy_packages() and bool(
                request.env["product.product"].sudo().search_count(self._isp_packages_domain(), limit=1)
            )
        return values

    @http.route()
    def isp_services(self, **kw):
        response = super().isp_services(**kw)
        response.qcontext.update(
            {
                "isp_purchases": self._isp_purchases_values(),
                "isp_packages_enabled": bool(self._isp_packages()),
            }
        )
        return response

    # --- pages ----------------------------------------------------------------------

    @http.route("/my/packages", type="http", auth="user", website=True, methods=["GET"])
    def isp_packages(self, message=None, **kw):
        return request.render("isp_portal.portal_my_packages", self._isp_packages_values(message=message))

    @http.route("/my/packages/<int:plan_id>/buy", type="http", auth="user", website=True, methods=["POST"])
    def isp_package_buy(self, plan_id, **kw):
        """Buy (or pay the waiting purchase of) a package, then Odoo's payment page."""
        plan = self._isp_package(plan_id)
        try:
            with request.env.cr.savepoint():
                invoice = request.env["isp.subscription"]._isp_portal_buy(
                    request.env.user.partner_id, plan, self._isp_package_company()
                )
        except (UserError, ValidationError) as error:
            values = self._isp_packages_values(error=error.args[0])
            return request.render("isp_portal.portal_my_packages", values)
        return request.redirect(invoice.get_portal_url())

    @http.route(
        "/my/packages/purchases/<int:subscription_id>/pay",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def isp_package_pay(self, subscription_id, **kw):
        """Pay a waiting purchase: its invoice (a new one from today if it started on a past
        day), then Odoo's payment page."""
        subscription = self._isp_purchase(subscription_id)
        try:
            with request.env.cr.savepoint():
                invoice = subscription._isp_portal_purchase_invoice()
        except (UserError, ValidationError) as error:
            values = self._isp_packages_values(error=error.args[0])
            return request.render("isp_portal.portal_my_packages", values)
        return request.redirect(invoice.get_portal_url())

    @http.route(
        "/my/packages/purchases/<int:subscription_id>/cancel",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def isp_package_cancel(self, subscription_id, **kw):
        subscription = self._isp_purchase(subscription_id)
        try:
            with request.env.cr.savepoint():
                subscription._isp_portal_cancel_purchase()
        except (UserError, ValidationError) as error:
            values = self._isp_packages_values(error=error.args[0])
            return request.render("isp_portal.portal_my_packages", values)
        return request.redirect("/my/packages?message=cancelled")
