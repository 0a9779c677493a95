# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Paying for the service from the portal: auto-pay and prepaid renewal.

*Pay now* is Odoo's own invoice payment flow (``account_payment``: the invoice's portal
page and ``/invoice/transaction/<id>``); the service page links to the oldest unpaid
invoice. The routes here are POST forms (CSRF-checked) on the customer's own
subscription only: another's is a 404, as on every ISP page.
"""

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from .portal import OPEN_STATES, IspCustomerPortal


class IspPaymentPortal(IspCustomerPortal):
    @http.route(
        "/my/services/<int:subscription_id>/autopay",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def isp_autopay(self, subscription_id, autopay=None, token_id=None, **kw):
        """Auto-pay on with one of the customer's own saved payment methods, or off."""
        subscription = self._isp_subscription(subscription_id, states=OPEN_STATES)
        if autopay == "1":
            token = self._isp_token(subscription, token_id)
            if not token:
                raise request.not_found()
            subscription._isp_set_autopay(token)
            return request.redirect(f"/my/services/{subscription.id}?message=autopay_on")
        subscription._isp_set_autopay(False)
        return request.redirect(f"/my/services/{subscription.id}?message=autopay_off")

    def _isp_token(self, subscription, token_id):
        """The logged-in customer's own saved payment method ``token_id``, else nothing."""
        try:
            token_id = int(token_id or 0)
        except ValueError:
            return request.env["payment.token"]
        tokens = subscription._isp_portal_tokens(request.env.user.partner_id)
        return tokens.filtered(lambda token: token.id == token_id)

    @http.route(
        "/my/services/<int:subscription_id>/renew",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def isp_renew(self, subscription_id, **kw):
        """A prepaid customer renews: the invoice of the next period (or the one already
        open), then Odoo's payment page for it."""
        subscription = self._isp_subscription(subscription_id, states=OPEN_STATES)
        if subscription.payment_mode != "prepaid":
            raise request.not_found()
        try:
            invoice = subscription._isp_renewal_invoice()
        except (UserError, ValidationError) as error:
            values = self._isp_values(
                page_name="isp_service", subscription=subscription, isp_renew_error=error.args[0]
            )
            return request.render("isp_portal.portal_my_service", values)
        return request.redirect(invoice.get_portal_url())
