import secrets
import string
from datetime import date, timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_date

from ..lib import invoicing, periods, proration, usage

NETWORK_GROUP = "isp_base.group_isp_technician"
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

    name = fields.Char(string="Reference", required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_isp_customer", "=", True)],
    )
    product_id = fields.Many2one(
        "product.product",
        string="Plan",
        required=True,
        tracking=True,
        domain=[("is_isp_plan", "=", True)],
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
    site_id = fields.Many2one("isp.site", string="Serving Site", tracking=True, index=True)
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
    billed_until = fields.Date(readonly=True, copy=False, help="The last day of service already invoiced.")
    usage_billed_until = fields.Date(
        readonly=True, copy=False, help="The last day whose usage (overage, extra time) was invoiced."
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
    provisioning_status = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("retrying", "Retrying"), ("failed", "Failed")],
        readonly=True,
        copy=False,
        index=True,
    )
    provisioning_error = fields.Text(readonly=True, copy=False)
    provisioning_attempts = fields.Integer(readonly=True, copy=False)
    provisioned_at = fields.Datetime(readonly=True, copy=False)
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
        moves = self.env["account.move"]._read_group(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("isp_invoice", "=", True),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            ["partner_id"],
            ["amount_residual_signed:sum"],
        )
        due = {partner: amount for partner, amount in moves}
        for subscription in self:
            subscription.amount_due = due.get(subscription.partner_id, 0.0)

    def _compute_to_suspend(self):
        due = self.search([("id", "in", self.ids), ("to_suspend", "=", True)])
        for subscription in self:
            subscription.to_suspend = subscription in due

    def _search_to_suspend(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Due for Suspension."))
        ids = []
        for company in self.env.companies:
            step = self.env["isp.dunning.step"].search(
                [("company_id", "=", company.id), ("action", "=", "suspend")], limit=1
            )
            if not step:
                continue
            lines = self.env["account.move.line"]._read_group(
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
        totals = {}
        for subscription in self:
            first, last = subscription._usage_period()
            totals.setdefault((first, last), self.browse())
            totals[(first, last)] |= subscription
        for (first, last), subscriptions in totals.items():
            volumes = {
                subscription: (down or 0) + (up or 0)
                for subscription, down, up in self.env["isp.usage.daily"]._read_group(
                    [("subscription_id", "in", subscriptions.ids), ("day", ">=", first), ("day", "<=", last)],
                    ["subscription_id"],
                    ["bytes_down:sum", "bytes_up:sum"],
                )
            }
            for subscription in subscriptions:
                subscription.usage_period_bytes = volumes.get(subscription, 0)
                subscription.usage_period_gb = subscription.usage_period_bytes / usage.BYTES_PER_GB

    def _update_fair_usage(self):
        """Fair-usage speed exactly while this period's volume is beyond the plan's cap."""
        capped = self.filtered(lambda s: s.state == "active" and s.product_id.data_cap_gb)
        over = capped.filtered(lambda s: usage.is_over_cap(s.usage_period_bytes, s.product_id.data_cap_gb))
        over.set_fair_usage(True)
        (capped - over).set_fair_usage(False)

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
        subscriptions = super().create(vals_list)
        for subscription in subscriptions:
            credentials = {}
            if not subscription.pppoe_username:
                credentials["pppoe_username"] = subscription._default_pppoe_username()
            if not subscription.sudo().pppoe_password:
                credentials["pppoe_password"] = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(12))
            if credentials:
                subscription.sudo().write(credentials)
        return subscriptions

    def write(self, vals):
        if vals.get("static_ip"):
            vals["static_ip"] = self.env["isp.nas"]._normalize_ip(vals["static_ip"])
        result = super().write(vals)
        network_fields = {"product_id", "static_ip", "pppoe_username", "pppoe_password"}
        if network_fields & set(vals):
            self.env["isp.provisioning"].request(self.filtered(lambda s: s.state in ("active", "suspended")))
        return result

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

    @api.constrains("partner_id")
    def _check_customer(self):
        for subscription in self:
            if not subscription.partner_id.is_isp_customer:
                raise ValidationError(
                    self.env._("%s is not an ISP customer.", subscription.partner_id.display_name)
                )

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
        self.env["isp.provisioning"].request(self)

    def action_activate(self):
        """Start the service: draft -> active. The plan's installation fee goes on the next invoice."""
        drafts = self.filtered(lambda s: s.state == "draft")
        for subscription in self.filtered(lambda s: not s.date_start):
            subscription.date_start = fields.Date.context_today(subscription)
        self._move_to("active")
        fees = [
            subscription._charge_values(
                subscription.product_id.installation_fee,
                subscription._customer_env()._("Installation: %s", subscription.product_id.display_name),
                kind="installation",
                day=subscription.date_start,
            )
            for subscription in drafts
            if subscription.product_id.installation_fee
        ]
        self.env["isp.subscription.charge"].create(fees)

    def suspend(self, reason=None, for_debt=False):
        """Cut the service (unpaid invoice, customer's request): active -> suspended."""
        today = fields.Date.context_today(self)
        self._move_to("suspended", suspension_reason=reason or False, suspended_for_debt=for_debt)
        self.env["isp.subscription.suspension"].create(
            [
                {"subscription_id": subscription.id, "date_from": today, "reason": reason}
                for subscription in self
            ]
        )
        if reason:
            for subscription in self:
                subscription.message_post(body=self.env._("Suspended: %s", reason))

    def reconnect(self):
        """Restore the service: suspended -> active. A prepaid subscription is not
        invoiced for the days it was suspended."""
        today = fields.Date.context_today(self)
        self._close_suspensions(today - timedelta(days=1))
        for subscription in self.filtered(lambda s: s.payment_mode == "prepaid" and s.state == "suspended"):
            billed_until = invoicing.resume_prepaid(subscription._billing_terms(), today)
            if billed_until != subscription.billed_until:
                subscription.billed_until = billed_until
        self._move_to(
            "active", suspension_reason=False, suspended_for_debt=False, online_while_suspended=False
        )

    def terminate(self, date_end=None):
        """End the service for good: active or suspended -> terminated. Days invoiced in
        advance beyond the termination day are credited on the next invoice."""
        date_end = date_end or fields.Date.context_today(self)
        self._close_suspensions(date_end)
        self._move_to("terminated", date_end=date_end)
        for subscription in self:
            unused = invoicing.termination_credits(subscription._billing_terms())
            if unused:
                subscription._credit_parts(unused)
                subscription.billed_until = date_end

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
        paid.reconnect()
        for subscription in paid:
            subscription.message_post(body=self.env._("Reconnected: the overdue invoices are paid."))
        return paid

    def _close_suspensions(self, last_day):
        open_suspensions = self.suspension_ids.filtered(lambda s: not s.date_to)
        empty = open_suspensions.filtered(lambda s: s.date_from > last_day)
        empty.unlink()
        (open_suspensions - empty).write({"date_to": last_day})

    def _credit_parts(self, parts):
        """One-time credits for service days already invoiced that will not be delivered."""
        self.ensure_one()
        rounding = self._rounding()
        values = []
        for part in parts:
            for product, price, quantity, name in self._recurring_items():
                amount = proration.part_amount(
                    price, part.period_start, part.period_end, part.first, part.last, rounding
                )
                if amount:
                    values.append(
                        self._charge_values(
                            -float(amount) * quantity,
                            self._customer_env()._(
                                "Credit for unused days of %(item)s, %(first)s to %(last)s",
                                item=name,
                                first=self._format_date(part.first),
                                last=self._format_date(part.last),
                            ),
                            kind="credit",
                            product=product,
                        )
                    )
        self.env["isp.subscription.charge"].create(values)

    def _recurring_items(self):
        """(product, unit price, quantity, description) of what recurs every period."""
        self.ensure_one()
        items = [(self.product_id, self.product_id.lst_price, 1, self.product_id.display_name)]
        items += [
            (addon.product_id, addon.price_unit, addon.quantity, addon.name or addon.product_id.display_name)
            for addon in self.addon_ids
        ]
        return items

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

    def change_plan(self, new_plan, change_date=None):
        """Move to ``new_plan``. An upgrade takes effect now: the current period gets a credit
        for the old plan's remaining days and a charge for the new one's. A downgrade waits
        for the next billing period."""
        change_date = change_date or fields.Date.context_today(self)
        for subscription in self:
            old_plan = subscription.product_id
            if new_plan == old_plan:
                continue
            if subscription.state not in ("active", "suspended"):
                subscription.product_id = new_plan
                continue
            period_start, period_end = periods.period_containing(
                subscription.date_start, subscription.billing_period, change_date
            )
            change = proration.change_plan(
                old_plan.lst_price,
                new_plan.lst_price,
                period_start,
                period_end,
                change_date,
                subscription._rounding(),
            )
            if change.effective_date > change_date:
                subscription.write(
                    {"pending_product_id": new_plan.id, "pending_product_date": change.effective_date}
                )
                subscription.message_post(
                    body=self.env._(
                        "Downgrade to %(plan)s from %(date)s.",
                        plan=new_plan.display_name,
                        date=change.effective_date,
                    )
                )
                continue
            # The period is (or will be) invoiced with one plan: adjust it to the days of each.
            invoiced_in_advance = subscription.payment_mode == "prepaid" and (
                subscription.billed_until and subscription.billed_until >= period_end
            )
            if invoiced_in_advance:
                credit_plan, charge_plan = old_plan, new_plan
                first, last = change_date, period_end
            else:
                credit_plan, charge_plan = new_plan, old_plan
                first, last = max(period_start, subscription.date_start), change_date - timedelta(days=1)
            rounding = subscription._rounding()
            values = []
            if last >= first:
                credit = proration.part_amount(
                    credit_plan.lst_price, period_start, period_end, first, last, rounding
                )
                charge = proration.part_amount(
                    charge_plan.lst_price, period_start, period_end, first, last, rounding
                )
                values = [
                    subscription._charge_values(
                        -float(credit),
                        subscription._customer_env()._(
                            "Plan change credit: %(plan)s, %(first)s to %(last)s",
                            plan=credit_plan.display_name,
                            first=subscription._format_date(first),
                            last=subscription._format_date(last),
                        ),
                        kind="plan_change",
                        product=credit_plan,
                    ),
                    subscription._charge_values(
                        float(charge),
                        subscription._customer_env()._(
                            "Plan change charge: %(plan)s, %(first)s to %(last)s",
                            plan=charge_plan.display_name,
                            first=subscription._format_date(first),
                            last=subscription._format_date(last),
                        ),
                        kind="plan_change",
                        product=charge_plan,
                    ),
                ]
            self.env["isp.subscription.charge"].create(values)
            subscription.write(
                {"product_id": new_plan.id, "pending_product_id": False, "pending_product_date": False}
            )

    @api.model
    def _cron_apply_pending_plans(self):
        """Daily: downgrades whose billing period has begun take effect."""
        today = fields.Date.context_today(self)
        for subscription in self.search([("pending_product_date", "<=", today)]):
            subscription.write(
                {
                    "product_id": subscription.pending_product_id.id,
                    "pending_product_id": False,
                    "pending_product_date": False,
                }
            )

    def set_fair_usage(self, fair_usage=True):
        """Switch to (or back from) the plan's fair-usage speed and tell the network."""
        changed = self.filtered(lambda s: s.fair_usage != fair_usage)
        if changed:
            changed.write({"fair_usage": fair_usage})
            self.env["isp.provisioning"].request(changed.filtered(lambda s: s.state == "active"))

    def action_suspend(self):
        return self.suspend()

    def action_reconnect(self):
        return self.reconnect()

    def action_terminate(self):
        return self.terminate()

    def action_retry_provisioning(self):
        self.env["isp.provisioning"].request(self.filtered(lambda s: s.state != "draft"))

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
        self.env["isp.provisioning"].request(cut)

    def _provisioning_failed(self, error, final=False, attempts=None):
        values = {"provisioning_status": "failed" if final else "retrying", "provisioning_error": error}
        if attempts is not None:
            values["provisioning_attempts"] = attempts
        self.sudo().write(values)
        if final:
            for subscription in self:
                subscription.message_post(body=self.env._("The network could not be updated: %s", error))
