# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.misc import format_date, format_datetime, formatLang

from ..lib import context as ctx

RECENT_TICKETS = 5
NO_CONNECTION_XMLID = "isp_helpdesk.helpdesk_category_no_connection"


class HelpdeskTicket(models.Model):
    """A ticket knows the customer's subscription, site and NAS, and shows what the agent must
    know first: service state, money overdue, online state, usage, outages and past tickets.

    The context is computed as superuser on exactly the ticket's records, so that an agent who
    may not read invoices or subscriptions still sees the amounts; it never reads a secret
    (PPPoE password, RADIUS secret).
    """

    _inherit = "helpdesk.ticket"
    _check_company_auto = True

    isp_subscription_id = fields.Many2one(
        "isp.subscription",
        string="Subscription",
        compute="_compute_isp_subscription_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="commercial_partner_id and [('partner_id', '=', commercial_partner_id)] or []",
        help="Filled from the customer when they have exactly one subscription in service.",
    )
    isp_site_id = fields.Many2one(
        "isp.site",
        string="Site",
        compute="_compute_isp_site_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        help="The subscription's serving site (else the customer's).",
    )
    isp_nas_id = fields.Many2one(
        "isp.nas",
        string="NAS / Router",
        compute="_compute_isp_nas_id",
        store=True,
        readonly=False,
        check_company=True,
        help="The NAS of the site, or of the nearest site above it.",
    )
    isp_offline_watch = fields.Boolean(
        string="Opened by the Offline Watch", readonly=True, copy=False, index="btree_not_null"
    )

    # Live context (never stored: computed when the ticket is opened).
    isp_situation = fields.Selection(
        [
            (ctx.NO_SERVICE, "No Service"),
            (ctx.SUSPENDED, "Suspended"),
            (ctx.OVERDUE, "Overdue"),
            (ctx.FAIR_USAGE, "Fair Usage"),
            (ctx.OFFLINE, "Offline"),
            (ctx.HEALTHY, "Healthy"),
        ],
        string="Situation",
        compute="_compute_isp_context",
    )
    isp_headline = fields.Char(string="In Short", compute="_compute_isp_context")
    isp_service_state = fields.Selection(
        [
            ("none", "No Subscription"),
            ("draft", "Not Active Yet"),
            ("active", "Active"),
            ("fair_usage", "Active, Fair-Usage Speed"),
            ("suspended", "Suspended"),
            ("terminated", "Terminated"),
        ],
        string="Service",
        compute="_compute_isp_context",
    )
    isp_plan_name = fields.Char(string="Plan", compute="_compute_isp_context")
    isp_suspension_reason = fields.Char(string="Suspension Reason", compute="_compute_isp_context")
    isp_suspended_since = fields.Date(string="Suspended Since", compute="_compute_isp_context")
    isp_suspended_for_debt = fields.Boolean(string="Suspended for Debt", compute="_compute_isp_context")
    isp_currency_id = fields.Many2one("res.currency", compute="_compute_isp_context")
    isp_amount_due = fields.Monetary(
        string="Balance Due", currency_field="isp_currency_id", compute="_compute_isp_context"
    )
    isp_amount_overdue = fields.Monetary(
        string="Overdue", currency_field="isp_currency_id", compute="_compute_isp_context"
    )
    isp_oldest_due_date = fields.Date(string="Oldest Due Date", compute="_compute_isp_context")
    isp_online = fields.Boolean(string="Online Now", compute="_compute_isp_context")
    isp_last_seen = fields.Datetime(string="Last Seen", compute="_compute_isp_context")
    isp_last_session_end = fields.Datetime(string="Last Session Ended", compute="_compute_isp_context")
    isp_usage_gb = fields.Float(
        string="Usage This Period (GB)", digits=(16, 2), compute="_compute_isp_context"
    )
    isp_data_cap_gb = fields.Float(string="Data Cap (GB)", digits=(16, 2), compute="_compute_isp_context")
    isp_usage_percent = fields.Float(string="Of the Cap (%)", digits=(16, 1), compute="_compute_isp_context")
    isp_open_incidents = fields.Char(string="Open Incidents", compute="_compute_isp_context")
    isp_recent_tickets = fields.Html(string="Last Tickets", sanitize=False, compute="_compute_isp_context")
    isp_sla_deadline = fields.Datetime(
        string="SLA Deadline",
        compute="_compute_isp_sla_deadline",
        help="When the ticket must be solved by its SLA (helpdesk_mgmt_sla): the deadline running, "
        "else the one it missed.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        # The offline watch's tickets are about a lost connection: filed as such, they get the
        # "No Connection" SLA of their team (helpdesk_mgmt_sla sets it in create) as any other.
        category = (
            self.env.ref(NO_CONNECTION_XMLID, raise_if_not_found=False)
            or self.env["helpdesk.ticket.category"]
        )
        for vals in vals_list:
            if vals.get("isp_offline_watch") and not vals.get("category_id") and category.active:
                team = self.env["helpdesk.ticket.team"].browse(vals.get("team_id")).sudo()
                if not team.category_ids or category in team.category_ids:
                    vals["category_id"] = category.id
        return super().create(vals_list)

    # -- links ---------------------------------------------------------------

    @api.depends("partner_id", "company_id")
    def _compute_isp_subscription_id(self):
        partners = self.partner_id.commercial_partner_id
        groups = (
            self.env["isp.subscription"]
            .sudo()
            ._read_group(
                [("partner_id", "in", partners.ids), ("state", "!=", "terminated")],
                ["partner_id", "company_id"],
                ["id:array_agg"],
            )
            if partners
            else []
        )
        found = {(partner.id, company.id): ids for partner, company, ids in groups}
        for ticket in self:
            partner = ticket.partner_id.commercial_partner_id
            current = ticket.isp_subscription_id.sudo()
            if current and current.partner_id == partner:
                continue
            ids = found.get((partner.id, ticket.company_id.id), [])
            ticket.isp_subscription_id = ids[0] if len(ids) == 1 else False

    @api.depends("isp_subscription_id", "partner_id")
    def _compute_isp_site_id(self):
        for ticket in self:
            site = (
                ticket.isp_subscription_id.sudo().site_id
                or ticket.partner_id.commercial_partner_id.sudo().isp_site_id
            )
            if site.company_id and ticket.company_id and site.company_id != ticket.company_id:
                site = site.browse()
            ticket.isp_site_id = site.id or False

    @api.depends("isp_site_id")
    def _compute_isp_nas_id(self):
        sites = self.isp_site_id.sudo()
        ancestors = {site.id: [int(i) for i in (site.parent_path or "").split("/") if i] for site in sites}
        all_ids = {i for ids in ancestors.values() for i in ids}
        nas_by_site = {}
        if all_ids:
            for nas in self.env["isp.nas"].sudo().search([("site_id", "in", list(all_ids))], order="id"):
                nas_by_site.setdefault(nas.site_id.id, nas)
        for ticket in self:
            # the NAS of the site itself, else of the nearest site above it
            path = ancestors.get(ticket.isp_site_id.id, [])
            nas = next((nas_by_site[i] for i in reversed(path) if i in nas_by_site), None)
            ticket.isp_nas_id = nas.id if nas else False

    @api.depends("ticket_sla_ids.state", "ticket_sla_ids.deadline")
    def _compute_isp_sla_deadline(self):
        for ticket in self:
            missed = ticket.ticket_sla_ids.filtered(lambda sla: sla.state == "expired").mapped("deadline")
            ticket.isp_sla_deadline = ticket.sla_deadline or min(filter(None, missed), default=False)

    # -- context -------------------------------------------------------------

    def _isp_open_incident_names(self):
        """Names of the open outage incidents on this ticket's site (and above): none here.

        The outage incidents of isp_helpdesk override it once ``isp.incident`` exists.
        """
        self.ensure_one()
        return []

    @api.depends("isp_subscription_id", "partner_id")
    @api.depends_context("uid", "lang", "tz")
    def _compute_isp_context(self):
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        subscriptions = self.isp_subscription_id.sudo()
        overdue = self._isp_overdue(subscriptions, today)
        since = self._isp_suspended_since(subscriptions)
        session_end = self._isp_last_session_end(subscriptions)
        for ticket in self:
            subscription = ticket.isp_subscription_id.sudo()
            currency = (subscription.company_id or ticket.company_id).currency_id
            amount, oldest = overdue.get(
                (subscription.partner_id.id, subscription.company_id.id), (0.0, False)
            )
            cap = subscription.product_id.data_cap_gb or 0.0
            facts = ctx.Facts(
                state=subscription.state or None,
                suspended_for_debt=subscription.suspended_for_debt,
                suspension_reason=subscription.suspension_reason or None,
                suspended_since=since.get(subscription.id),
                date_end=subscription.date_end or None,
                amount_overdue=amount,
                oldest_due=oldest or None,
                fair_usage=subscription.fair_usage,
                usage_gb=subscription.usage_period_gb if subscription else 0.0,
                cap_gb=cap,
                online=subscription.network_online,
                last_seen=subscription.network_last_seen or None,
            )
            key, params = ctx.headline(facts, now)
            ticket.isp_situation = ctx.situation(facts)
            ticket.isp_headline = ticket._isp_headline_text(key, params, currency)
            if not subscription:
                ticket.isp_service_state = "none"
            elif subscription.state == "active" and subscription.fair_usage:
                ticket.isp_service_state = "fair_usage"
            else:
                ticket.isp_service_state = subscription.state
            ticket.isp_plan_name = subscription.product_id.display_name or False
            ticket.isp_suspension_reason = (
                subscription.state == "suspended" and subscription.suspension_reason
            )
            ticket.isp_suspended_since = subscription.state == "suspended" and since.get(subscription.id)
            ticket.isp_suspended_for_debt = (
                subscription.state == "suspended" and subscription.suspended_for_debt
            )
            ticket.isp_currency_id = currency
            ticket.isp_amount_due = subscription.amount_due if subscription else 0.0
            ticket.isp_amount_overdue = amount
            ticket.isp_oldest_due_date = oldest
            ticket.isp_online = subscription.network_online
            ticket.isp_last_seen = subscription.network_last_seen
            ticket.isp_last_session_end = session_end.get(subscription.id) or (
                not subscription.network_online and subscription.network_last_seen
            )
            ticket.isp_usage_gb = facts.usage_gb
            ticket.isp_data_cap_gb = cap
            ticket.isp_usage_percent = ctx.usage_percent(facts.usage_gb, cap)
            ticket.isp_open_incidents = ", ".join(ticket._isp_open_incident_names()) or False
            ticket.isp_recent_tickets = ticket._isp_recent_tickets_html()

    def _isp_overdue(self, subscriptions, today):
        """``{(partner id, company id): (amount overdue, oldest due date)}`` of these subscriptions'
        customers' ISP invoices, read as superuser (agents may not read invoices)."""
        if not subscriptions:
            return {}
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", subscriptions.partner_id.ids),
                    ("company_id", "in", subscriptions.company_id.ids),
                    ("isp_invoice", "=", True),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("invoice_date_due", "<", today),
                ],
                ["partner_id", "company_id"],
                ["amount_residual_signed:sum", "invoice_date_due:min"],
            )
        )
        return {(partner.id, company.id): (amount, oldest) for partner, company, amount, oldest in groups}

    def _isp_suspended_since(self, subscriptions):
        """``{subscription id: first day of the suspension going on}``."""
        suspended = subscriptions.filtered(lambda s: s.state == "suspended")
        if not suspended:
            return {}
        groups = (
            self.env["isp.subscription.suspension"]
            .sudo()
            ._read_group(
                [("subscription_id", "in", suspended.ids), ("date_to", "=", False)],
                ["subscription_id"],
                ["date_from:max"],
            )
        )
        return {subscription.id: day for subscription, day in groups}

    def _isp_last_session_end(self, subscriptions):
        """``{subscription id: end of the last closed session}`` where a network addon records
        sessions (isp_radius); empty otherwise (the last-seen time stands for it)."""
        if not subscriptions or "isp.radius.session" not in self.env:
            return {}
        groups = (
            self.env["isp.radius.session"]
            .sudo()
            ._read_group(
                [("subscription_id", "in", subscriptions.ids), ("open", "=", False)],
                ["subscription_id"],
                ["last_update:max"],
            )
        )
        return {subscription.id: end for subscription, end in groups}

    def _isp_recent_tickets_html(self):
        """The customer's last tickets (this one left out), as a small escaped table."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not partner:
            return False
        tickets = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [("partner_id", "child_of", partner.id), ("id", "not in", self._origin.ids)],
                order="create_date desc, id desc",
                limit=RECENT_TICKETS,
            )
        )
        if not tickets:
            return Markup("<p class='text-muted mb-0'>%s</p>") % self.env._("No other ticket.")
        rows = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>")
            % (
                ticket.number,
                ticket.name,
                ticket.stage_id.name or "",
                format_date(self.env, ticket.create_date),
            )
            for ticket in tickets
        )
        return (
            Markup("<table class='table table-sm mb-0 o_isp_recent_tickets'><tbody>%s</tbody></table>") % rows
        )

    def _isp_duration_text(self, minutes):
        days, hours, mins = ctx.format_duration(minutes)
        if days:
            return self.env._("%(days)s d %(hours)s h", days=days, hours=hours)
        if hours:
            return self.env._("%(hours)s h %(minutes)s min", hours=hours, minutes=mins)
        return self.env._("%s min", mins)

    def _isp_headline_text(self, key, params, currency):
        """The headline's sentence in the agent's language, dates and amounts formatted."""
        env = self.env
        values = dict(params)
        for name in ("since", "due", "date"):
            if name in values and not (key == ctx.H_OFFLINE and name == "since"):
                values[name] = format_date(env, values[name]) if values[name] else ""
        if "amount" in values:
            values["amount"] = formatLang(env, values["amount"], currency_obj=currency)
        if key == ctx.H_OFFLINE:
            values["duration"] = self._isp_duration_text(values.pop("minutes", 0))
            values["since"] = format_datetime(env, values["since"], dt_format="short")
        texts = {
            ctx.H_NO_SUBSCRIPTION: lambda: env._("No subscription is linked to this ticket."),
            ctx.H_DRAFT: lambda: env._("The subscription is not active yet."),
            ctx.H_TERMINATED: lambda: env._("The subscription ended on %(date)s.", **values),
            ctx.H_SUSPENDED_DEBT: lambda: env._(
                "Suspended for debt since %(since)s: %(amount)s overdue since %(due)s.", **values
            ),
            ctx.H_SUSPENDED_REASON: lambda: env._("Suspended since %(since)s: %(reason)s.", **values),
            ctx.H_SUSPENDED: lambda: env._("Suspended since %(since)s.", **values),
            ctx.H_OVERDUE: lambda: env._(
                "Active, but %(amount)s is overdue since %(due)s: the service will be suspended.", **values
            ),
            ctx.H_FAIR_USAGE: lambda: env._(
                "On fair-usage speed: %(usage)s GB used of the %(cap)s GB cap this period.", **values
            ),
            ctx.H_OFFLINE: lambda: env._("Offline since %(since)s (%(duration)s).", **values),
            ctx.H_HEALTHY_ONLINE: lambda: env._("Active and online: nothing wrong on our side."),
            ctx.H_HEALTHY_UNKNOWN: lambda: env._("Active; the network has not reported a session yet."),
        }
        return texts[key]()
