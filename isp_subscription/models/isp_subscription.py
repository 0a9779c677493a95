# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import secrets
import string
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from markupsafe import escape

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from odoo.addons.isp_base.access import check_isp_group

from ..lib import credentials, invoicing, periods, proration, usage

NETWORK_GROUP = "isp_base.group_isp_technician"
BILLING_GROUP = "isp_base.group_isp_billing"
# How far a subscription's network backends got, the least advanced first.
PROVISIONING_ORDER = ("failed", "retrying", "pending", "done")
# Fields that a subscription keeps once it has left draft: its plan changes through
# change_plan(), its billing dates through invoicing (both write them as superuser).
FIXED_AFTER_DRAFT = ("partner_id", "product_id", "date_start", "billed_until", "usage_billed_until")
PASSWORD_ALPHABET = string.ascii_letters + string.digits
# Moves a subscription may make: state -> states it may go to.
TRANSITIONS = {
    "draft": ("active",),
    "active": ("suspended", "terminated"),
    "suspended": ("active", "terminated"),
    "terminated": (),
}


class IspSubscription(models.Model):
    """A customer's internet service: a plan delivered at a place through the network.

    States: draft -> active -> suspended -> terminated (suspended may go back to
    active); every move is tracked in the chatter and handed to the network
    through ``isp.provisioning``.
    """

    _name = "isp.subscription"
    _description = "Internet Subscription"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_isp_customer", "=", True)],
    )
    product_id = fields.Many2one(
        "product.product",
        string="Plan",
        required=True,
        tracking=True,
        check_company=True,
        domain=[("is_isp_plan", "=", True)],
    )
    plan_period_ids = fields.One2many(
        "isp.subscription.plan.period", "subscription_id", string="Plan History", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Active"), ("suspended", "Suspended"), ("terminated", "Terminated")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    date_start = fields.Date(string="Start Date", tracking=True, copy=False)
    date_end = fields.Date(string="Termination Date", readonly=True, tracking=True, copy=False)
    billing_period = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("yearly", "Yearly")],
        compute="_compute_billing_period",
        store=True,
        readonly=False,
    )
    payment_mode = fields.Selection(
        [("prepaid", "Prepaid"), ("postpaid", "Postpaid")], default="postpaid", required=True, tracking=True
    )
    site_id = fields.Many2one(
        "isp.site", string="Serving Site", tracking=True, index=True, check_company=True
    )
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    connection_type = fields.Selection(related="product_id.connection_type")
    pppoe_username = fields.Char(string="PPPoE Username", copy=False, tracking=True, index=True)
    pppoe_password = fields.Char(string="PPPoE Password", copy=False, groups=NETWORK_GROUP)
    static_ip = fields.Char(string="Static IP", copy=False, tracking=True)
    fair_usage = fields.Boolean(
        string="On Fair-Usage Speed",
        readonly=True,
        tracking=True,
        copy=False,
        help="Set when the period's usage went beyond the plan's data cap.",
    )
    suspension_reason = fields.Char(readonly=True, copy=False)
    suspended_for_debt = fields.Boolean(
        readonly=True, copy=False, help="Suspended by dunning: reconnected as soon as the customer has paid."
    )
    suspension_ids = fields.One2many("isp.subscription.suspension", "subscription_id", readonly=True)
    addon_ids = fields.One2many("isp.subscription.addon", "subscription_id", string="Add-ons", copy=True)
    charge_ids = fields.One2many("isp.subscription.charge", "subscription_id", string="One-time Charges")
    pending_product_id = fields.Many2one(
        "product.product",
        string="Next Plan",
        readonly=True,
        copy=False,
        help="A downgrade takes effect at the start of the next billing period.",
    )
    pending_product_date = fields.Date(string="Next Plan From", readonly=True, copy=False)
    billed_until = fields.Date(
        copy=False,
        help="The last day of service already invoiced. Set it on a draft (or in an import) when the "
        "customer comes from another system, so that invoicing starts the day after.",
    )
    usage_billed_until = fields.Date(
        copy=False, help="The last day whose usage (overage, extra time) was invoiced."
    )
    next_invoice_date = fields.Date(compute="_compute_next_invoice_date", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    to_suspend = fields.Boolean(
        string="Due for Suspension",
        compute="_compute_to_suspend",
        search="_search_to_suspend",
        help="Active, with an unpaid invoice overdue by the dunning policy's suspension step.",
    )
    amount_due = fields.Monetary(
        string="Balance Due", compute="_compute_amount_due", help="The customer's unpaid ISP invoices."
    )
    network_state = fields.Selection(
        [
            ("none", "Not Provisioned"),
            ("active", "Active"),
            ("fair_usage", "Fair Usage"),
            ("suspended", "Suspended"),
            ("terminated", "Terminated"),
        ],
        compute="_compute_network_state",
        help="What the network should do for this subscription now.",
    )
    rate_limit = fields.Char(
        compute="_compute_network_state", help="MikroTik rate-limit the network should apply."
    )
    usage_ids = fields.One2many("isp.usage.daily", "subscription_id", string="Daily Usage")
    usage_period_bytes = fields.Float(compute="_compute_usage_period", digits=(20, 0))
    usage_period_gb = fields.Float(
        string="Usage This Period (GB)",
        compute="_compute_usage_period",
        digits=(16, 2),
        help="Downloaded and uploaded since the start of the current monthly usage period, in GB of 10^9 bytes.",
    )
    provisioning_state_ids = fields.One2many(
        "isp.provisioning.state", "subscription_id", string="Network Backends", readonly=True
    )
    provisioning_status = fields.Selection(
        [
            ("pending", "Pending"),
            ("done", "Done"),
            ("retrying", "Retrying"),
            ("failed", "Failed"),
            ("no_backend", "No Network Backend"),
        ],
        compute="_compute_provisioning",
        search="_search_provisioning_status",
        help="The least advanced of the network backends: Failed, Retrying, Pending, then Done. "
        "No Network Backend: every backend said it does not serve this subscription.",
    )
    provisioning_error = fields.Text(compute="_compute_provisioning")
    provisioning_attempts = fields.Integer(compute="_compute_provisioning")
    provisioned_at = fields.Datetime(compute="_compute_provisioning")
    # Written by the network addons (RADIUS accounting, RouterOS /ppp/active), read by
    # the lists, the map and the helpdesk.
    network_online = fields.Boolean(string="Online", readonly=True, copy=False, index=True)
    network_last_seen = fields.Datetime(string="Last Seen", readonly=True, copy=False)
    online_while_suspended = fields.Boolean(
        string="Still Online While Suspended",
        readonly=True,
        copy=False,
        index=True,
        help="The network still reports a session after the suspension: the disconnection is being retried.",
    )

    _sql_constraints = [
        ("pppoe_username_unique", "UNIQUE(pppoe_username)", "This PPPoE username is already used."),
        ("static_ip_company_unique", "UNIQUE(static_ip, company_id)", "This static IP is already assigned."),
    ]

    @api.depends("product_id")
    def _compute_billing_period(self):
        for subscription in self:
            subscription.billing_period = subscription.product_id.billing_period or "monthly"

    @api.depends(
        "state",
        "date_start",
        "date_end",
        "billing_period",
        "payment_mode",
        "billed_until",
        "usage_billed_until",
    )
    def _compute_next_invoice_date(self):
        for subscription in self:
            terms = subscription._billing_terms()
            subscription.next_invoice_date = terms and invoicing.next_invoice_date(terms)

    def _billing_terms(self):
        """The invoicing schedule's view of this subscription (None while draft)."""
        self.ensure_one()
        if self.state == "draft" or not self.date_start:
            return None
        return invoicing.Terms(
            anchor=self.date_start,
            period=self.billing_period or "monthly",
            prepaid=self.payment_mode == "prepaid",
            billed_until=self.billed_until or None,
            usage_billed_until=self.usage_billed_until or None,
            date_end=self.date_end or None,
            suspended_now=self.state == "suspended",
        )

    def _compute_amount_due(self):
        # Every ISP role sees what a customer owes (roles.md), invoices or not: read as superuser,
        # within the subscriptions' own companies.
        moves = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                    ("isp_invoice", "=", True),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                ],
                ["partner_id", "company_id"],
                ["amount_residual_signed:sum"],
            )
        )
        due = {(partner.id, company.id): amount for partner, company, amount in moves}
        for subscription in self:
            subscription.amount_due = due.get((subscription.partner_id.id, subscription.company_id.id), 0.0)

    def _compute_to_suspend(self):
        due = self.search([("id", "in", self.ids), ("to_suspend", "=", True)])
        for subscription in self:
            subscription.to_suspend = subscription in due

    def _search_to_suspend(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Due for Suspension."))
        ids = []
        for company in self.env.companies:
            step = (
                self.env["isp.dunning.step"]
                .sudo()
                .search([("company_id", "=", company.id), ("action", "=", "suspend")], limit=1)
            )
            if not step:
                continue
            lines = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("isp_subscription_id.state", "=", "active"),
                        ("move_id.company_id", "=", company.id),
                        ("move_id.move_type", "=", "out_invoice"),
                        ("move_id.state", "=", "posted"),
                        ("move_id.payment_state", "in", ("not_paid", "partial")),
                        (
                            "move_id.invoice_date_due",
                            "<=",
                            fields.Date.subtract(fields.Date.context_today(self), days=step.days_after_due),
                        ),
                    ],
                    ["isp_subscription_id"],
                )
            )
            ids += [subscription.id for (subscription,) in lines]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    @api.depends("state", "fair_usage", "product_id")
    def _compute_network_state(self):
        for subscription in self:
            plan = subscription.product_id
            if subscription.state == "draft":
                state = "none"
            elif subscription.state == "active":
                state = "fair_usage" if subscription.fair_usage else "active"
            else:
                state = subscription.state
            subscription.network_state = state
            if state == "fair_usage":
                subscription.rate_limit = plan.product_tmpl_id._isp_fair_usage_rate_limit()
            else:
                subscription.rate_limit = plan.rate_limit if state == "active" else False

    def _usage_period(self, day=None):
        """The monthly usage period (anchored on the start date) that contains ``day``."""
        self.ensure_one()
        day = day or fields.Date.context_today(self)
        anchor = self.date_start or day
        return periods.period_containing(anchor, "monthly", max(day, anchor))

    def _compute_usage_period(self):
        volumes = self._usage_period_bytes({s.id: s.date_start for s in self.filtered("id")})
        for subscription in self:
            subscription.usage_period_bytes = volumes.get(subscription.id, 0.0)
            subscription.usage_period_gb = subscription.usage_period_bytes / usage.BYTES_PER_GB

    @api.model
    def _usage_period_bytes(self, starts, today=None):
        """``{subscription id: bytes}`` used in the current monthly usage period (see
        :meth:`_usage_period`) by the subscriptions ``starts`` gives with their start date, in
        one query whatever their number: the periods are worked out once per start date, the
        database matches them by start date. Usage dated before the start (recorded a time zone
        apart) counts in the first period."""
        if not starts:
            return {}
        today = today or fields.Date.context_today(self)
        bounds = {}
        for anchor in {start or today for start in starts.values()}:
            first, last = periods.period_containing(anchor, "monthly", max(today, anchor))
            bounds[anchor] = (None if first <= anchor else first, last)
        self.flush_model(["date_start"])
        self.env["isp.usage.daily"].flush_model(["subscription_id", "day", "bytes_down", "bytes_up"])
        self.env.cr.execute(
            SQL(
                """
                SELECT u.subscription_id, SUM(COALESCE(u.bytes_down, 0) + COALESCE(u.bytes_up, 0))::float8
                  FROM isp_subscription sub
                  JOIN unnest(%s::date[], %s::date[], %s::date[]) AS p (anchor, first_day, last_day)
                    ON p.anchor = COALESCE(sub.date_start, %s::date)
                  JOIN isp_usage_daily u
                    ON u.subscription_id = sub.id
                   AND (p.first_day IS NULL OR u.day >= p.first_day) AND u.day <= p.last_day
                 WHERE sub.id = ANY(%s)
                 GROUP BY u.subscription_id
                """,
                list(bounds),
                [first for first, _last in bounds.values()],
                [last for _first, last in bounds.values()],
                today,
                list(starts),
            )
        )
        return dict(self.env.cr.fetchall())

    def _update_fair_usage(self):
        """Fair-usage speed exactly while this period's volume is beyond the plan's cap."""
        self.fetch(["state", "product_id", "fair_usage", "date_start"])  # these only, not every column
        capped = self.filtered(lambda s: s.state == "active" and s.product_id.data_cap_gb)
        over = capped.filtered(lambda s: usage.is_over_cap(s.usage_period_bytes, s.product_id.data_cap_gb))
        over._set_fair_usage(True)
        (capped - over)._set_fair_usage(False)

    @api.model
    def _cron_update_fair_usage(self):
        """Daily: a new usage period gives capped subscriptions their full speed back."""
        self.search([("fair_usage", "=", True)])._update_fair_usage()

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id:
            self.site_id = self.partner_id.isp_site_id
            self.latitude = self.partner_id.partner_latitude
            self.longitude = self.partner_id.partner_longitude

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"]
        partners = self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id") and "site_id" not in vals}
        )
        sites = {partner.id: partner.isp_site_id.id for partner in partners}
        for vals in vals_list:
            # As the form's onchange does: the network addons find the router by the site.
            if vals.get("partner_id") in sites:
                vals["site_id"] = sites[vals["partner_id"]]
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("isp.subscription") or "/"
            if vals.get("static_ip"):
                vals["static_ip"] = self.env["isp.nas"]._normalize_ip(vals["static_ip"])
            if vals.get("pppoe_username"):
                vals["pppoe_username"] = credentials.normalize_username(vals["pppoe_username"])
                self._check_username_free(vals["pppoe_username"])
        subscriptions = super().create(vals_list)
        for subscription in subscriptions:
            secrets_values = {}
            if not subscription.pppoe_username:
                secrets_values["pppoe_username"] = subscription._default_pppoe_username()
            if not subscription.sudo().pppoe_password:
                secrets_values["pppoe_password"] = "".join(
                    secrets.choice(PASSWORD_ALPHABET) for _i in range(12)
                )
            if secrets_values:
                subscription.sudo().write(secrets_values)
        return subscriptions

    def write(self, vals):
        if not self.env.su:
            self._check_fixed_after_draft(vals)
        if vals.get("static_ip"):
            vals["static_ip"] = self.env["isp.nas"]._normalize_ip(vals["static_ip"])
        if vals.get("pppoe_username"):
            vals["pppoe_username"] = credentials.normalize_username(vals["pppoe_username"])
            self._check_username_free(vals["pppoe_username"])
        result = super().write(vals)
        network_fields = {"product_id", "static_ip", "pppoe_username", "pppoe_password"}
        if network_fields & set(vals):
            self.env["isp.provisioning"]._request(self.filtered(lambda s: s.state in ("active", "suspended")))
        return result

    def _check_fixed_after_draft(self, vals):
        fixed = [name for name in FIXED_AFTER_DRAFT if name in vals]
        started = self.filtered(lambda s: s.state != "draft")
        if not fixed or not started:
            return
        changed = []
        for name in fixed:
            field = self._fields[name]
            new = field.convert_to_cache(vals[name], self)
            if any(field.convert_to_cache(s[name], s) != new for s in started):
                changed.append(name)
        if not changed:
            return
        if "product_id" in changed:
            raise UserError(
                self.env._(
                    "Subscription %s is no longer a draft: change its plan with Change Plan, so that "
                    "each day is billed at the plan of that day.",
                    started[0].name,
                )
            )
        raise UserError(
            self.env._(
                "Subscription %(subscription)s is no longer a draft: %(fields)s can no longer be changed.",
                subscription=started[0].name,
                fields=", ".join(self._fields[name]._description_string(self.env) for name in changed),
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        started = self.filtered(lambda s: s.state != "draft")
        if started:
            raise UserError(
                self.env._(
                    "Subscription %s has started: terminate it instead of deleting it, so that the "
                    "network forgets it and its history stays.",
                    started[0].name,
                )
            )
        invoiced = (
            self.env["account.move.line"]
            .sudo()
            .search_count([("isp_subscription_id", "in", self.ids)], limit=1)
        )
        if invoiced:
            raise UserError(self.env._("A subscription that was invoiced cannot be deleted."))

    def _default_pppoe_username(self):
        """The customer number, with a counter from the customer's second subscription on."""
        base = (self.partner_id.isp_customer_number or self.name).lower()
        username, counter = base, 1
        while self.search_count([("pppoe_username", "=", username), ("id", "!=", self.id)], limit=1):
            counter += 1
            username = f"{base}-{counter}"
        return username

    @api.constrains("static_ip", "product_id", "state")
    def _check_static_ip(self, new_state=None):
        for subscription in self:
            if (
                (new_state or subscription.state) == "active"
                and subscription.connection_type == "static_ip"
                and not subscription.static_ip
            ):
                raise ValidationError(
                    self.env._("Subscription %s: its plan needs a static IP address.", subscription.name)
                )

    @api.constrains("pppoe_username", "pppoe_password")
    def _check_credentials(self):
        messages = {
            "empty": self.env._("is empty"),
            "too_long": self.env._("is too long"),
            "whitespace": self.env._("contains a space or another blank character"),
            "not_ascii": self.env._("contains a character outside plain ASCII"),
            "forbidden": self.env._("contains a quote or a backslash"),
        }
        for subscription in self:
            username = subscription.pppoe_username
            problem = username is not False and credentials.username_problem(username)
            if problem:
                raise ValidationError(
                    self.env._(
                        "The PPPoE username %(username)s %(problem)s: the network could not "
                        "authenticate it. Use at most %(max)s letters, digits and signs such as . - _ @.",
                        username=repr(username),
                        problem=messages[problem],
                        max=credentials.USERNAME_MAX,
                    )
                )
            password = subscription.sudo().pppoe_password
            problem = password is not False and credentials.password_problem(password)
            if problem:
                raise ValidationError(
                    self.env._(
                        "The PPPoE password of %(subscription)s %(problem)s: the network could not "
                        "authenticate it. Use at most %(max)s letters, digits and signs, without spaces, "
                        "quotes or backslashes.",
                        subscription=subscription.name,
                        problem=messages[problem],
                        max=credentials.PASSWORD_MAX,
                    )
                )

    def _check_username_free(self, username):
        """Refuse a username another subscription has, whatever its case (before the unique
        index on ``lower(pppoe_username)`` would, with a raw database error)."""
        if not username:
            return
        self.env.cr.execute(
            SQL(
                "SELECT pppoe_username FROM isp_subscription WHERE lower(pppoe_username) = lower(%s) "
                "AND NOT id = ANY(%s) LIMIT 1",
                username,
                self.ids,
            )
        )
        row = self.env.cr.fetchone()
        if row:
            raise ValidationError(
                self.env._(
                    "The PPPoE username %s is already used (usernames are compared without regard to case).",
                    row[0],
                )
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for subscription in self:
            if (
                subscription.date_end
                and subscription.date_start
                and subscription.date_end < subscription.date_start
            ):
                raise ValidationError(
                    self.env._(
                        "Subscription %(subscription)s cannot end (%(end)s) before it starts (%(start)s).",
                        subscription=subscription.name,
                        end=subscription.date_end,
                        start=subscription.date_start,
                    )
                )

    def init(self):
        tools.create_unique_index(
            self.env.cr, "isp_subscription_pppoe_username_lower_uniq", self._table, ["lower(pppoe_username)"]
        )

    @api.constrains("partner_id")
    def _check_customer(self):
        for subscription in self:
            if not subscription.partner_id.is_isp_customer:
                raise ValidationError(
                    self.env._("%s is not an ISP customer.", subscription.partner_id.display_name)
                )

    # --- rights of the public actions -----------------------------------------

    def _check_isp_group(self, group_xmlid):
        """Public methods are an API: refuse callers outside the ISP group that does the work,
        and records the caller may not write (another company's, for instance)."""
        check_isp_group(self.env, group_xmlid)
        self.check_access("write")

    @api.model
    def _to_date(self, value, default=None):
        """A date given as a date or, over RPC, as a string YYYY-MM-DD."""
        if not value:
            return default
        try:
            return fields.Date.to_date(value)
        except ValueError as error:
            raise UserError(self.env._("%s is not a date (expected YYYY-MM-DD).", value)) from error

    # --- state changes --------------------------------------------------------

    def _move_to(self, state, **values):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for subscription in self:
            if state not in TRANSITIONS[subscription.state]:
                raise UserError(
                    self.env._(
                        "Subscription %(subscription)s is %(current)s: it cannot become %(new)s.",
                        subscription=subscription.name,
                        current=labels[subscription.state],
                        new=labels[state],
                    )
                )
        if state == "active":
            self._check_static_ip(new_state="active")
        self.write({"state": state, **values})
        self.env["isp.provisioning"]._request(self)

    def action_activate(self):
        """Start the service: draft -> active (ISP Billing). The plan's installation fee goes on
        the next invoice, unless the subscription comes from another system (billed until set)."""
        self._check_isp_group(BILLING_GROUP)
        self._activate()
        return True

    def _activate(self):
        today = fields.Date.context_today(self)
        for subscription in self.filtered(lambda s: not s.date_start):
            subscription.date_start = today
        self._move_to("active")
        self.env["isp.subscription.plan.period"].sudo().create(
            [
                {"subscription_id": s.id, "product_id": s.product_id.id, "date_from": s.date_start}
                for s in self
            ]
        )
        fees = [
            subscription._charge_values(
                subscription.product_id.installation_fee,
                subscription._customer_env()._("Installation: %s", subscription.product_id.display_name),
                kind="installation",
                day=subscription.date_start,
            )
            for subscription in self
            if subscription.product_id.installation_fee and not subscription.billed_until
        ]
        self.env["isp.subscription.charge"].create(fees)

    def action_suspend(self, reason=None):
        """Cut the service at once (ISP Billing), for a reason shown to staff and in the chatter."""
        self._check_isp_group(BILLING_GROUP)
        self._suspend(reason=reason)
        return True

    def _suspend(self, reason=None, for_debt=False):
        """Cut the service (unpaid invoice, customer's request): active -> suspended.

        ``reason``: one text for all, or ``{subscription id: text}`` (dunning suspends many
        customers together, each for their own invoice)."""
        today = fields.Date.context_today(self)
        reasons = reason if isinstance(reason, dict) else dict.fromkeys(self.ids, reason or False)
        by_reason = defaultdict(list)
        for subscription_id in self.ids:
            by_reason[reasons.get(subscription_id) or False].append(subscription_id)
        common = {"suspension_reason": next(iter(by_reason))} if len(by_reason) == 1 else {}
        self._move_to("suspended", suspended_for_debt=for_debt, **common)
        if not common:
            for text, ids in by_reason.items():
                self.browse(ids).write({"suspension_reason": text})
        self.env["isp.subscription.suspension"].create(
            [
                {
                    "subscription_id": subscription.id,
                    "date_from": today,
                    "reason": reasons.get(subscription.id),
                }
                for subscription in self
            ]
        )
        # One note per subscription, logged together: a note notifies nobody, so the per-record
        # recipient work of message_post is saved (a dunning day suspends thousands).
        bodies = {
            subscription_id: escape(self.env._("Suspended: %s", reasons[subscription_id]))
            for subscription_id in self.ids
            if reasons.get(subscription_id)
        }
        if bodies:
            self._message_log_batch(bodies=bodies)

    def action_reconnect(self):
        """Restore the service at once (ISP Billing), the same day as the suspension too."""
        self._check_isp_group(BILLING_GROUP)
        self._reconnect()
        return True

    def _reconnect(self):
        """Restore the service: suspended -> active. A prepaid subscription is not
        invoiced for the days it was suspended."""
        today = fields.Date.context_today(self)
        self._close_suspensions(today - timedelta(days=1))
        for subscription in self.filtered(lambda s: s.payment_mode == "prepaid" and s.state == "suspended"):
            billed_until = invoicing.resume_prepaid(subscription._billing_terms(), today)
            if billed_until != subscription.billed_until:
                subscription.sudo().billed_until = billed_until
        self._move_to(
            "active", suspension_reason=False, suspended_for_debt=False, online_while_suspended=False
        )

    def action_terminate(self, date_end=None):
        """End the service for good (ISP Billing), today or on a past day (``YYYY-MM-DD``)."""
        self._check_isp_group(BILLING_GROUP)
        today = fields.Date.context_today(self)
        date_end = self._to_date(date_end, today)
        if date_end > today:
            raise UserError(
                self.env._("A subscription cannot be terminated in advance: terminate it on the day.")
            )
        self._terminate(date_end)
        return True

    def _terminate(self, date_end=None):
        """End the service for good: active or suspended -> terminated. Days invoiced in
        advance beyond the termination day are credited on the next invoice."""
        date_end = date_end or fields.Date.context_today(self)
        for subscription in self:
            if subscription.date_start and date_end < subscription.date_start:
                raise UserError(
                    self.env._(
                        "Subscription %(subscription)s cannot end (%(end)s) before it starts (%(start)s).",
                        subscription=subscription.name,
                        end=format_date(self.env, date_end),
                        start=format_date(self.env, subscription.date_start),
                    )
                )
        self._close_suspensions(date_end)
        self._move_to("terminated", date_end=date_end)
        for subscription in self:
            unused = invoicing.termination_credits(subscription._billing_terms())
            if unused:
                subscription._credit_parts(unused)
                subscription.sudo().billed_until = date_end

    def _suspended_ranges(self):
        """(first, last) days suspended, the ongoing suspension up to the far future."""
        return [(s.date_from, s.date_to or date.max) for s in self.suspension_ids]

    @api.model
    def _reconnect_paid(self, partners):
        """Reconnect the customers' subscriptions suspended for debt once nothing that got them
        suspended is left unpaid. Called as soon as an invoice is paid; a subscription already
        reconnected is left alone, so a payment reconnects exactly once."""
        suspended = self.sudo().search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "=", "suspended"),
                ("suspended_for_debt", "=", True),
            ]
        )
        if not suspended:
            return suspended
        moves = self.env["account.move"].sudo()
        blocked = {
            partner
            for (partner,) in moves._read_group(
                moves._isp_blocking_domain(suspended.partner_id), ["partner_id"]
            )
        }
        paid = suspended.filtered(lambda s: s.partner_id not in blocked)
        paid._reconnect()
        for subscription in paid:
            subscription.message_post(body=self.env._("Reconnected: the overdue invoices are paid."))
        return paid

    def _close_suspensions(self, last_day):
        """End the open suspensions on ``last_day``; one that would end before it began (suspended
        and reconnected the same day) is bookkeeping with no day in it, and goes."""
        open_suspensions = self.suspension_ids.filtered(lambda s: not s.date_to)
        empty = open_suspensions.filtered(lambda s: s.date_from > last_day)
        empty.sudo().unlink()
        (open_suspensions - empty).write({"date_to": last_day})

    # --- what a period costs ----------------------------------------------------

    def _plan_timeline(self):
        """``[(date_from, plan), ...]``: the plan of every day since the start."""
        self.ensure_one()
        timeline = [(p.date_from, p.product_id) for p in self.plan_period_ids.sorted("date_from")]
        return timeline or [(self.date_start or date.min, self.product_id)]

    def _service_charges(self, part, suspended=(), timeline=None):
        """``[(product, quantity, label, proration.Charge)]`` for the service days of ``part``
        (an :class:`invoicing.Part`): the plan of each day, then the add-ons."""
        self.ensure_one()
        rounding = self._rounding()
        charges = []
        for first, last, plan in proration.plan_segments(
            timeline or self._plan_timeline(), part.first, part.last
        ):
            charge = proration.period_charge(
                plan.lst_price,
                part.period_start,
                part.period_end,
                plan.display_name,
                active_from=first,
                active_to=last,
                suspended=suspended,
                rounding=rounding,
            )
            if charge:
                charges.append((plan, 1.0, plan.display_name, charge))
        for addon in self.addon_ids:
            label = addon.name or addon.product_id.display_name
            charge = proration.period_charge(
                addon.price_unit,
                part.period_start,
                part.period_end,
                label,
                active_from=part.first,
                active_to=part.last,
                suspended=suspended,
                rounding=rounding,
            )
            if charge:
                charges.append((addon.product_id, addon.quantity, label, charge))
        return charges

    def _credit_parts(self, parts):
        """One-time credits for service days already invoiced that will not be delivered."""
        self.ensure_one()
        values = []
        for part in parts:
            for product, quantity, label, charge in self._service_charges(part):
                values.append(
                    self._charge_values(
                        -float(charge.amount) * quantity,
                        self._customer_env()._(
                            "Credit for unused days of %(item)s, %(first)s to %(last)s",
                            item=label,
                            first=self._format_date(charge.date_from),
                            last=self._format_date(charge.date_to),
                        ),
                        kind="credit",
                        product=product,
                    )
                )
        self.env["isp.subscription.charge"].create(values)

    def _customer_env(self):
        """The environment in the customer's language, for what the customer reads."""
        self.ensure_one()
        return self.with_context(lang=self.partner_id.lang or self.env.lang).env

    def _format_date(self, day):
        return format_date(self._customer_env(), day)

    def _rounding(self):
        return Decimal(str(self.company_id.currency_id.rounding))

    def _charge_values(self, amount, name, kind="other", day=None, product=None):
        return {
            "subscription_id": self.id,
            "product_id": (product or self.product_id).id,
            "name": name,
            "price_unit": amount,
            "kind": kind,
            "date": day or fields.Date.context_today(self),
        }

    # --- plan changes -------------------------------------------------------------

    def action_change_plan(self):
        """Open the Change Plan wizard (ISP Billing)."""
        self.ensure_one()
        self._check_isp_group(BILLING_GROUP)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Plan"),
            "res_model": "isp.subscription.change.plan",
            "view_mode": "form",
            "target": "new",
            "context": {"default_subscription_id": self.id},
        }

    def change_plan(self, plan_id, change_date=None, timing="auto"):
        """Move to another plan (ISP Billing): the API behind the Change Plan wizard.

        ``plan_id``: the new plan (a product id); ``change_date``: the day of the change
        (today by default, ``YYYY-MM-DD``); ``timing``: ``auto`` (an upgrade now, a downgrade
        from the next billing period), ``now`` or ``next_period``. Every day is billed at the
        plan of that day; days already invoiced are adjusted on the next invoice.
        """
        self._check_isp_group(BILLING_GROUP)
        plan = self.env["product.product"].browse(
            plan_id.id if isinstance(plan_id, models.BaseModel) else plan_id
        )
        if not plan.exists() or not plan.is_isp_plan:
            raise UserError(self.env._("Choose a service plan to change to."))
        if timing not in ("auto", "now", "next_period"):
            raise UserError(self.env._("The timing of a plan change is auto, now or next_period."))
        asked = self._to_date(change_date)
        today = fields.Date.context_today(self)
        for subscription in self:
            # Today, but not before the start: a subscription activated by someone whose day
            # has begun already (another time zone) can change plan at once.
            day = asked or max(today, subscription.date_start or today)
            subscription._change_plan(plan, day, subscription._plan_change_date(plan, day, timing))
        return True

    def _plan_change_date(self, new_plan, change_date, timing="auto"):
        """The day ``new_plan`` takes effect for a change asked on ``change_date``."""
        self.ensure_one()
        if self.state == "draft":
            return change_date
        return self._plan_change_preview(new_plan, change_date, timing)[0].effective_date

    def _plan_change_preview(self, new_plan, change_date, timing="auto"):
        """``(proration.PlanChange, period start, period end)`` of a change to ``new_plan`` asked
        on ``change_date``: when it takes effect, the credit for the current plan's days of the
        billing period from then on and the charge for the new plan's."""
        self.ensure_one()
        if change_date < self.date_start:
            raise UserError(
                self.env._(
                    "Subscription %(subscription)s started on %(start)s: its plan cannot change before.",
                    subscription=self.name,
                    start=format_date(self.env, self.date_start),
                )
            )
        first, last = periods.period_containing(self.date_start, self.billing_period, change_date)
        old_plan = proration.plan_on(self._plan_timeline(), change_date)
        change = proration.change_plan(
            old_plan.lst_price, new_plan.lst_price, first, last, change_date, self._rounding(), timing
        )
        return change, first, last

    def _change_plan(self, new_plan, change_date, effective_date):
        """Give the subscription ``new_plan`` from ``effective_date`` on (see :meth:`change_plan`)."""
        today = fields.Date.context_today(self)
        for subscription in self:
            if subscription.state == "draft":
                subscription.product_id = new_plan
                continue
            if subscription.state == "terminated":
                raise UserError(
                    self.env._("Subscription %s is terminated: its plan cannot change.", subscription.name)
                )
            old_timeline = subscription._plan_timeline()
            periods_model = self.env["isp.subscription.plan.period"].sudo()
            if not subscription.plan_period_ids:  # active since before plan periods were recorded
                periods_model.create(
                    {
                        "subscription_id": subscription.id,
                        "product_id": subscription.product_id.id,
                        "date_from": subscription.date_start,
                    }
                )
            later = subscription.plan_period_ids.filtered(lambda p, day=effective_date: p.date_from >= day)
            later.sudo().unlink()
            kept = [(p.date_from, p.product_id) for p in subscription.plan_period_ids.sorted("date_from")]
            if not kept or proration.plan_on(kept, effective_date) != new_plan:
                periods_model.create(
                    {
                        "subscription_id": subscription.id,
                        "product_id": new_plan.id,
                        "date_from": effective_date,
                    }
                )
            subscription._adjust_billed_days(old_timeline, subscription._plan_timeline(), effective_date)
            if effective_date <= today:
                values = {
                    "product_id": new_plan.id,
                    "pending_product_id": False,
                    "pending_product_date": False,
                }
            else:
                values = {"pending_product_id": new_plan.id, "pending_product_date": effective_date}
            subscription.sudo().write(values)
            subscription.message_post(
                body=self.env._(
                    "Plan change to %(plan)s from %(date)s.",
                    plan=new_plan.display_name,
                    date=format_date(self.env, effective_date),
                )
            )

    def _adjust_billed_days(self, old_timeline, new_timeline, effective_date):
        """Days from ``effective_date`` that were already invoiced with another plan: a credit for
        that plan and a charge for the new one, on the customer's next regular invoice."""
        self.ensure_one()
        if not self.billed_until or self.billed_until < effective_date:
            return
        suspended = [] if self.company_id.isp_charge_while_suspended else self._suspended_ranges()
        env = self._customer_env()
        today = fields.Date.context_today(self)
        invoice_day = max(today, self.next_invoice_date or today)
        values = []
        start = effective_date
        while start <= self.billed_until:
            period_start, period_end = periods.period_containing(self.date_start, self.billing_period, start)
            last = min(period_end, self.billed_until)
            for first, seg_last, old_plan in proration.plan_segments(old_timeline, start, last):
                new_plan = proration.plan_on(new_timeline, first)
                if new_plan == old_plan:
                    continue
                for plan, sign, text in (
                    (old_plan, -1, env._("Plan change credit: %(plan)s, %(first)s to %(last)s")),
                    (new_plan, 1, env._("Plan change charge: %(plan)s, %(first)s to %(last)s")),
                ):
                    charge = proration.period_charge(
                        plan.lst_price,
                        period_start,
                        period_end,
                        plan.display_name,
                        active_from=first,
                        active_to=seg_last,
                        suspended=suspended,
                        rounding=self._rounding(),
                    )
                    if not charge:
                        continue
                    values.append(
                        self._charge_values(
                            sign * float(charge.amount),
                            text
                            % {
                                "plan": plan.with_context(lang=env.lang).display_name,
                                "first": self._format_date(charge.date_from),
                                "last": self._format_date(charge.date_to),
                            },
                            kind="plan_change",
                            day=invoice_day,
                            product=plan,
                        )
                    )
            start = last + timedelta(days=1)
        self.env["isp.subscription.charge"].create(values)

    @api.model
    def _cron_apply_pending_plans(self):
        """Daily: downgrades whose billing period has begun take effect on the network."""
        today = fields.Date.context_today(self)
        for subscription in self.search([("pending_product_date", "<=", today)]):
            subscription.sudo().write(
                {
                    "product_id": subscription.pending_product_id.id,
                    "pending_product_id": False,
                    "pending_product_date": False,
                }
            )

    # --- network --------------------------------------------------------------

    def _set_fair_usage(self, fair_usage=True):
        """Switch to (or back from) the plan's fair-usage speed and tell the network."""
        changed = self.filtered(lambda s: s.fair_usage != fair_usage)
        if changed:
            changed.sudo().write({"fair_usage": fair_usage})
            self.env["isp.provisioning"]._request(changed.filtered(lambda s: s.state == "active"))

    def action_retry_provisioning(self):
        """Send the subscriptions' current state to the network again (ISP Technician)."""
        self._check_isp_group(NETWORK_GROUP)
        self.env["isp.provisioning"]._request(self.filtered(lambda s: s.state != "draft"))
        return True

    def _network_still_online(self):
        """The network reports these subscriptions online: those that should be cut off are
        flagged (once, with a note) and provisioned again, which disconnects them again."""
        cut = self.filtered(lambda s: s.network_state in ("suspended", "terminated", "none"))
        if not cut:
            return
        flagged = cut.filtered(lambda s: not s.online_while_suspended)
        flagged.sudo().online_while_suspended = True
        for subscription in flagged:
            subscription.message_post(
                body=self.env._("Still online after the suspension: the disconnection is sent again.")
            )
        self.env["isp.provisioning"]._request(cut, retry=True)

    @api.depends("provisioning_state_ids.status", "provisioning_state_ids.provisioner_id.active")
    def _compute_provisioning(self):
        for subscription in self:
            states = subscription.sudo().provisioning_state_ids.filtered(lambda s: s.provisioner_id.active)
            served = states.filtered(lambda s: s.status != "not_served")
            status = next(
                (status for status in PROVISIONING_ORDER if status in served.mapped("status")),
                "no_backend" if states else False,
            )
            subscription.provisioning_status = status
            subscription.provisioning_error = (
                "\n".join(
                    f"{s.provisioner_id.name}: {s.error}" for s in states if s.error and s.status != "done"
                )
                or False
            )
            subscription.provisioning_attempts = max(served.mapped("attempts"), default=0)
            subscription.provisioned_at = max(served.filtered("done_at").mapped("done_at"), default=False)

    def _search_provisioning_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the provisioning status."))
        values = [value] if operator in ("=", "!=") else list(value)
        self.env["isp.provisioning.state"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT st.subscription_id,
                       CASE WHEN bool_or(st.status = 'failed') THEN 'failed'
                            WHEN bool_or(st.status = 'retrying') THEN 'retrying'
                            WHEN bool_or(st.status = 'pending') THEN 'pending'
                            WHEN bool_or(st.status = 'done') THEN 'done'
                            ELSE 'no_backend' END
                  FROM isp_provisioning_state st
                  JOIN isp_provisioner p ON p.id = st.provisioner_id AND p.active
                 GROUP BY st.subscription_id
                """
            )
        )
        ids = [sid for sid, status in self.env.cr.fetchall() if status in values]
        positive = operator in ("=", "in")
        return [("id", "in" if positive else "not in", ids)]
