# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The customer's ISP pages under /my: services, usage, change plan, PPPoE/hotspot password.

Portal users have no rights on ``isp.subscription``: every route finds the subscription
among the logged-in customer's own (:meth:`IspCustomerPortal._isp_subscription`, a 404
for anything else) and then works with ``sudo()`` on that record only.
"""

from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools.misc import format_date

from odoo.addons.isp_subscription.lib import credentials, usage
from odoo.addons.portal.controllers.portal import CustomerPortal

# States a customer's subscription is shown in (drafts are the ISP's work in progress).
SHOWN_STATES = ("active", "suspended", "terminated")
# States in which the customer may change plan or password.
OPEN_STATES = ("active", "suspended")
PASSWORD_TYPES = ("pppoe", "hotspot")


def format_speed(kbps):
    """``10 Mbit/s`` or ``512 kbit/s``."""
    kbps = kbps or 0
    if kbps >= 1000:
        mbps = kbps / 1000
        return f"{mbps:g} Mbit/s"
    return f"{kbps} kbit/s"


def format_gb(volume_bytes):
    """Bytes as GB (10^9 bytes), two decimals."""
    return f"{(volume_bytes or 0) / usage.BYTES_PER_GB:,.2f}"


class IspCustomerPortal(CustomerPortal):
    # --- whose records --------------------------------------------------------

    def _isp_partner(self):
        return request.env.user.partner_id.commercial_partner_id

    def _isp_subscriptions_domain(self):
        return [
            ("partner_id", "child_of", self._isp_partner().id),
            ("state", "in", SHOWN_STATES),
        ]

    def _isp_subscriptions(self):
        """The logged-in customer's subscriptions, as superuser (portal users have no ACL)."""
        return request.env["isp.subscription"].sudo().search(self._isp_subscriptions_domain())

    def _isp_subscription(self, subscription_id, states=SHOWN_STATES):
        """The customer's own subscription ``subscription_id`` (sudo), else a 404."""
        subscription = request.env["isp.subscription"].sudo().browse(subscription_id).exists()
        if (
            not subscription
            or subscription.partner_id.commercial_partner_id != self._isp_partner()
            or subscription.state not in states
        ):
            raise request.not_found()
        return subscription

    # --- values ---------------------------------------------------------------

    def _isp_values(self, **values):
        result = self._prepare_portal_layout_values()
        result.update(
            {
                "isp_speed": format_speed,
                "isp_gb": format_gb,
                "isp_password_types": PASSWORD_TYPES,
                "isp_open_states": OPEN_STATES,
            }
        )
        result.update(values)
        return result

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "isp_subscription_count" in counters:
            values["isp_subscription_count"] = (
                request.env["isp.subscription"].sudo().search_count(self._isp_subscriptions_domain())
            )
        if not counters:  # the home page itself: entries shown without waiting for the counters
            subscriptions = self._isp_subscriptions()
            values.update(
                {
                    "isp_subscriptions": subscriptions,
                    "isp_usage_url": (
                        f"/my/services/{subscriptions.id}/usage"
                        if len(subscriptions) == 1
                        else "/my/services"
                    ),
                    "isp_support_enabled": "helpdesk.ticket" in request.env,
                }
            )
        return values

    def _isp_plans_offered(self, subscription):
        """The plans the customer may choose for ``subscription``: self-service ISP plans of
        its company with the same billing period and connection type (another connection needs
        a technician), other than the current (and pending) one."""
        return (
            request.env["product.product"]
            .sudo()
            .search(
                [
                    ("is_isp_plan", "=", True),
                    ("isp_self_service", "=", True),
                    ("sale_ok", "=", True),
                    ("billing_period", "=", subscription.billing_period),
                    ("connection_type", "=", subscription.connection_type),
                    ("id", "not in", (subscription.product_id | subscription.pending_product_id).ids),
                    ("company_id", "in", (False, subscription.company_id.id)),
                ],
                order="list_price, id",
            )
        )

    def _isp_change_preview(self, subscription, plan):
        """The backend Change Plan wizard's own preview (an unsaved wizard record)."""
        return (
            request.env["isp.subscription.change.plan"]
            .sudo()
            .new(
                {
                    "subscription_id": subscription.id,
                    "product_id": plan.id,
                    "change_date": fields.Date.context_today(subscription),
                    "timing": "auto",
                }
            )
        )

    def _isp_usage_chart(self, period):
        """An SVG chart's geometry for a usage period: one bar per day up to today, as high as
        the period's usage up to that day, against the cap (a line at 90 % of the height
        while the usage is below it). Drawn by the server: no JavaScript, any screen width."""
        bar_width, height, top = 10, 100, 90
        cap = period["cap_gb"] * usage.BYTES_PER_GB
        scale = max(cap, period["total"], 1.0)
        bars = []
        cumulative = 0.0
        for index, (day, volume) in enumerate(period["days"]):
            cumulative += volume
            bar_height = round(cumulative / scale * top, 2)
            bars.append(
                {
                    "day": day,
                    "volume": volume,
                    "cumulative": cumulative,
                    "x": index * bar_width + 1,
                    "w": bar_width - 2,
                    "y": round(height - bar_height, 2),
                    "h": bar_height,
                    "over": bool(cap) and cumulative > cap,
                    "title": request.env._(
                        "%(day)s: %(volume)s GB (%(total)s GB in the period)",
                        day=format_date(request.env, day),
                        volume=format_gb(volume),
                        total=format_gb(cumulative),
                    ),
                }
            )
        days_in_period = (period["last"] - period["first"]).days + 1
        width = days_in_period * bar_width
        return {
            "bars": bars,
            "width": width,
            "viewbox": f"0 0 {width} {height}",
            "cap_y": round(height - cap / scale * top, 2) if cap else None,
            "percent": min(round(period["total"] / cap * 100, 1), 100) if cap else 0,
            "next_start": period["last"] + timedelta(days=1),
            "label": request.env._(
                "Usage from %(first)s to %(last)s: %(total)s GB",
                first=format_date(request.env, period["first"]),
                last=format_date(request.env, period["last"]),
                total=format_gb(period["total"]),
            ),
        }

    def _isp_change_plan_values(self, subscription, chosen=None, error=None):
        plans = self._isp_plans_offered(subscription)
        today = fields.Date.context_today(subscription)
        change_date = max(today, subscription.date_start)
        return self._isp_values(
            page_name="isp_change_plan",
            subscription=subscription,
            plans=plans,
            # When each plan would start: the billing rule's own answer (an upgrade today).
            plan_starts={
                plan.id: subscription._plan_change_preview(plan, change_date, "auto")[0].effective_date
                for plan in plans
            },
            chosen=chosen or request.env["product.product"],
            preview=chosen and self._isp_change_preview(subscription, chosen),
            error=error,
            today=today,
        )

    # --- pages ----------------------------------------------------------------

    @http.route("/my/services", type="http", auth="user", website=True)
    def isp_services(self, **kw):
        values = self._isp_values(page_name="isp_services", subscriptions=self._isp_subscriptions())
        return request.render("isp_portal.portal_my_services", values)

    @http.route("/my/services/<int:subscription_id>", type="http", auth="user", website=True)
    def isp_service(self, subscription_id, message=None, **kw):
        subscription = self._isp_subscription(subscription_id)
        values = self._isp_values(page_name="isp_service", subscription=subscription, message=message)
        return request.render("isp_portal.portal_my_service", values)

    @http.route("/my/services/<int:subscription_id>/usage", type="http", auth="user", website=True)
    def isp_usage(self, subscription_id, **kw):
        subscription = self._isp_subscription(subscription_id)
        usage_periods = subscription._isp_portal_usage_periods()
        for period in usage_periods:
            period["chart"] = self._isp_usage_chart(period)
        values = self._isp_values(
            page_name="isp_usage", subscription=subscription, usage_periods=usage_periods
        )
        return request.render("isp_portal.portal_my_usage", values)

    @http.route(
        "/my/services/<int:subscription_id>/plan", type="http", auth="user", website=True, methods=["GET"]
    )
    def isp_change_plan(self, subscription_id, plan_id=None, **kw):
        subscription = self._isp_subscription(subscription_id, OPEN_STATES)
        chosen = request.env["product.product"]
        if plan_id:
            chosen = self._isp_plans_offered(subscription).filtered(lambda p: str(p.id) == str(plan_id))
            if not chosen:
                raise request.not_found()
        values = self._isp_change_plan_values(subscription, chosen)
        return request.render("isp_portal.portal_my_change_plan", values)

    @http.route(
        "/my/services/<int:subscription_id>/plan", type="http", auth="user", website=True, methods=["POST"]
    )
    def isp_change_plan_confirm(self, subscription_id, plan_id=None, **kw):
        subscription = self._isp_subscription(subscription_id, OPEN_STATES)
        plan = self._isp_plans_offered(subscription).filtered(lambda p: str(p.id) == str(plan_id))
        if not plan:  # not a self-service plan, or not one of this subscription's
            raise request.not_found()
        # The backend wizard's own path: its confirm button calls change_plan(), which applies
        # the billing rule (an upgrade now with its prorated charge, a downgrade next period).
        wizard = (
            request.env["isp.subscription.change.plan"]
            .sudo()
            .create(
                {
                    "subscription_id": subscription.id,
                    "product_id": plan.id,
                    "change_date": fields.Date.context_today(subscription),
                    "timing": "auto",
                }
            )
        )
        effective = wizard.effective_date
        try:
            with request.env.cr.savepoint():
                wizard.action_confirm()
        except (UserError, ValidationError) as error:
            values = self._isp_change_plan_values(subscription, error=str(error))
            return request.render("isp_portal.portal_my_change_plan", values)
        message = (
            "plan_now" if effective and effective <= fields.Date.context_today(subscription) else "plan_later"
        )
        return request.redirect(f"/my/services/{subscription.id}?message={message}")

    @http.route(
        "/my/services/<int:subscription_id>/password",
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def isp_password(self, subscription_id, password=None, password_confirm=None, **kw):
        subscription = self._isp_subscription(subscription_id, OPEN_STATES)
        if subscription.connection_type not in PASSWORD_TYPES:
            raise request.not_found()
        error = None
        if request.httprequest.method == "POST":
            error = self._isp_password_error(password, password_confirm)
            if not error:
                # The subscription's write tells the network (isp.provisioning) after the commit.
                subscription.write({"pppoe_password": password})
                subscription.message_post(
                    body=request.env._("The customer set a new password in the portal."),
                    author_id=request.env.user.partner_id.id,
                )
                return request.redirect(f"/my/services/{subscription.id}?message=password")
        values = self._isp_values(page_name="isp_password", subscription=subscription, error=error)
        return request.render("isp_portal.portal_my_password", values)

    def _isp_password_error(self, password, password_confirm):
        if password != password_confirm:
            return request.env._("The two passwords differ.")
        problem = credentials.password_problem(password or "")
        messages = {
            "empty": request.env._("Type a new password."),
            "too_long": request.env._(
                "The password is too long: use at most %s characters.", credentials.PASSWORD_MAX
            ),
            "whitespace": request.env._("The password contains a space or another blank character."),
            "not_ascii": request.env._(
                "The password contains a character outside plain ASCII (a-z, A-Z, 0-9 and signs)."
            ),
            "forbidden": request.env._("The password contains a quote or a backslash."),
        }
        if problem:
            return messages[problem]
        if len(password) < 8:
            return request.env._("Use at least 8 characters.")
        return None
