import secrets
import string

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import periods, usage

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

    _sql_constraints = [
        ("pppoe_username_unique", "UNIQUE(pppoe_username)", "This PPPoE username is already used."),
        ("static_ip_company_unique", "UNIQUE(static_ip, company_id)", "This static IP is already assigned."),
    ]

    @api.depends("product_id")
    def _compute_billing_period(self):
        for subscription in self:
            subscription.billing_period = subscription.product_id.billing_period or "monthly"

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
        for vals in vals_list:
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
        """Start the service: draft -> active."""
        for subscription in self.filtered(lambda s: not s.date_start):
            subscription.date_start = fields.Date.context_today(subscription)
        self._move_to("active")

    def suspend(self, reason=None):
        """Cut the service (unpaid invoice, customer's request): active -> suspended."""
        self._move_to("suspended", suspension_reason=reason or False)
        if reason:
            for subscription in self:
                subscription.message_post(body=self.env._("Suspended: %s", reason))

    def reconnect(self):
        """Restore the service: suspended -> active."""
        self._move_to("active", suspension_reason=False)

    def terminate(self, date_end=None):
        """End the service for good: active or suspended -> terminated."""
        self._move_to("terminated", date_end=date_end or fields.Date.context_today(self))

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

    def _provisioning_failed(self, error, final=False, attempts=None):
        values = {"provisioning_status": "failed" if final else "retrying", "provisioning_error": error}
        if attempts is not None:
            values["provisioning_attempts"] = attempts
        self.sudo().write(values)
        if final:
            for subscription in self:
                subscription.message_post(body=self.env._("The network could not be updated: %s", error))
