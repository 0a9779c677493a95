# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

AFFECTED_STATES = ("active", "suspended")


class IspIncident(models.Model):
    """An outage on one or more sites: every subscription served at or below them is affected.

    Opening and resolving it tells the affected customers (email, SMS, WhatsApp through
    ``isp.notification``); new tickets of affected customers attach to it while it is open;
    resolving it credits the outage time on the next invoice when the company says so.
    Technicians, ISP managers and helpdesk agents open and resolve incidents.
    """

    _name = "isp.incident"
    _description = "Outage Incident"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    description = fields.Text(help="What customers and agents are told about the outage.")
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("resolved", "Resolved")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_start = fields.Datetime(string="Started", tracking=True, copy=False)
    date_end = fields.Datetime(string="Resolved On", tracking=True, copy=False)
    duration = fields.Float(
        string="Duration (hours)",
        compute="_compute_duration",
        help="From the start to the resolution (or to now while open).",
    )
    site_ids = fields.Many2many(
        "isp.site",
        string="Sites",
        check_company=True,
        help="The sites down: the subscriptions served at these sites and every site below them "
        "are affected.",
    )
    subscription_ids = fields.Many2many(
        "isp.subscription",
        string="Subscriptions in an Area",
        check_company=True,
        groups="isp_base.group_isp_user",
        help="Subscriptions picked on the map (an area drawn around them), affected beside those "
        "served by the sites.",
    )
    notify_email = fields.Boolean(string="Email", default=True)
    notify_sms = fields.Boolean(string="SMS", default=True)
    notify_whatsapp = fields.Boolean(string="WhatsApp")
    ticket_ids = fields.One2many("helpdesk.ticket", "isp_incident_id", string="Tickets")
    subscription_count = fields.Integer(string="Affected Subscriptions", compute="_compute_counts")
    customer_count = fields.Integer(string="Affected Customers", compute="_compute_counts")
    ticket_count = fields.Integer(string="Tickets", compute="_compute_counts")
    credit_ids = fields.One2many("isp.incident.credit", "incident_id", string="Outage Credits")
    credit_count = fields.Integer(string="Credits", compute="_compute_counts")

    @api.depends("date_start", "date_end", "state")
    def _compute_duration(self):
        now = fields.Datetime.now()
        for incident in self:
            end = incident.date_end or (incident.state == "open" and now)
            incident.duration = (
                (end - incident.date_start).total_seconds() / 3600
                if incident.date_start and end and end > incident.date_start
                else 0.0
            )

    @api.depends("site_ids", "subscription_ids", "state")
    def _compute_counts(self):
        tickets = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group([("isp_incident_id", "in", self._origin.ids)], ["isp_incident_id"], ["__count"])
        )
        outage_credits = dict(
            self.env["isp.incident.credit"]
            .sudo()
            ._read_group([("incident_id", "in", self._origin.ids)], ["incident_id"], ["__count"])
        )
        for incident in self:
            subscriptions = incident._affected_subscriptions()
            incident.subscription_count = len(subscriptions)
            incident.customer_count = len(subscriptions.partner_id)
            incident.ticket_count = tickets.get(incident._origin, 0)
            incident.credit_count = outage_credits.get(incident._origin, 0)

    # --- who is affected --------------------------------------------------------------

    def _affected_domain(self):
        """Subscriptions in service at these sites or below them (one query through the
        sites' ``parent_path``, a subselect, never one query per site), and those of the area."""
        self.ensure_one()
        incident = self.sudo()
        parts = []
        if incident.site_ids:
            parts.append(
                [
                    (
                        "site_id",
                        "any",
                        expression.OR(
                            [[("parent_path", "=like", f"{site.parent_path}%")] for site in incident.site_ids]
                        ),
                    )
                ]
            )
        if incident.subscription_ids:
            parts.append([("id", "in", incident.subscription_ids.ids)])
        if not parts:
            return [("id", "=", False)]
        return expression.AND(
            [
                expression.OR(parts),
                [("state", "in", AFFECTED_STATES), ("company_id", "=", self.company_id.id)],
            ]
        )

    def _affected_subscriptions(self):
        """The affected subscriptions, read as superuser (agents may not read subscriptions)."""
        self.ensure_one()
        return self.env["isp.subscription"].sudo().search(self._affected_domain(), order="id")

    @api.model
    def _open_for_sites(self, sites):
        """``{site id: open incidents}`` of ``sites``: the open incidents on each site or on a
        site above it, newest first (one query for all)."""
        ancestors = {site.id: [int(i) for i in (site.parent_path or "").split("/") if i] for site in sites}
        all_ids = {i for ids in ancestors.values() for i in ids}
        if not all_ids:
            return {}
        incidents = self.sudo().search([("state", "=", "open"), ("site_ids", "in", list(all_ids))])
        return {
            site_id: incidents.filtered(lambda i, ids=set(ids): ids & set(i.site_ids.ids))
            for site_id, ids in ancestors.items()
        }

    @api.model
    def _open_for_subscriptions(self, subscriptions):
        """``{subscription id: open incidents}`` naming these subscriptions (areas on the map)."""
        if not subscriptions:
            return {}
        incidents = self.sudo().search(
            [("state", "=", "open"), ("subscription_ids", "in", subscriptions.ids)]
        )
        return {
            subscription.id: incidents.filtered(lambda i, s=subscription: s in i.subscription_ids)
            for subscription in subscriptions
        }

    @api.model
    def _open_affecting(self, sites, subscriptions):
        """``(by site id, by subscription id)``: the open incidents of each, see above."""
        return self._open_for_sites(sites), self._open_for_subscriptions(subscriptions)

    # --- buttons ------------------------------------------------------------------------

    def action_open(self):
        """Open (or reopen) the incidents and tell their affected customers that the outage
        started (technicians, ISP managers, helpdesk agents)."""
        self.check_access("write")
        for incident in self:
            if incident.state == "open":
                raise UserError(self.env._("Incident %s is already open.", incident.name))
            if not incident.site_ids and not incident.sudo().subscription_ids:
                raise UserError(
                    self.env._("Incident %s has no site: add the sites that are down.", incident.name)
                )
        for incident in self:
            incident.write(
                {
                    "state": "open",
                    "date_start": incident.date_start or fields.Datetime.now(),
                    "date_end": False,
                }
            )
            incident._notify_customers("isp_helpdesk.mail_template_incident_open")
        return True

    def action_resolve(self):
        """Resolve the open incidents, tell the customers the service is back and, as the
        company's setting says, credit them the outage (technicians, managers, agents)."""
        self.check_access("write")
        for incident in self:
            if incident.state != "open":
                raise UserError(self.env._("Only an open incident can be resolved (%s).", incident.name))
        for incident in self:
            incident.write({"state": "resolved", "date_end": fields.Datetime.now()})
            incident._notify_customers("isp_helpdesk.mail_template_incident_resolved")
            incident._create_credits()
        return True

    def action_view_subscriptions(self):
        self.ensure_one()
        self.env["isp.subscription"].check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Affected Subscriptions"),
            "res_model": "isp.subscription",
            "view_mode": "list,form",
            "domain": [("id", "in", self._affected_subscriptions().ids)],
        }

    def action_view_tickets(self):
        self.ensure_one()
        self.env["helpdesk.ticket"].check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Tickets"),
            "res_model": "helpdesk.ticket",
            "view_mode": "list,form",
            "domain": [("isp_incident_id", "=", self.id)],
            "context": {"default_isp_incident_id": self.id},
        }

    def action_view_credits(self):
        self.ensure_one()
        self.env["isp.incident.credit"].check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Outage Credits"),
            "res_model": "isp.incident.credit",
            "view_mode": "list,form",
            "domain": [("incident_id", "=", self.id)],
        }

    # --- notifications ----------------------------------------------------------------

    def _channels(self):
        return tuple(
            channel
            for channel, wanted in (
                ("email", self.notify_email),
                ("sms", self.notify_sms),
                ("whatsapp", self.notify_whatsapp),
            )
            if wanted
        )

    def _notify_customers(self, template_xmlid):
        """Tell the affected customers through the notification service."""
        self.ensure_one()
        partners = self._affected_subscriptions().partner_id
        if not partners or not self._channels():
            return {}
        template = self.env.ref(template_xmlid)
        resolved = self.state == "resolved"
        return self.env["isp.notification"]._notify(
            partners,
            email_template=template,
            sms_body=lambda partner: self._sms_text(partner, resolved),
            channels=self._channels(),
            res_record=self,
            title=self.env._(
                "%(template)s (incident %(incident)s):", template=template.name, incident=self.name
            ),
        )

    def _sms_text(self, partner, resolved):
        """The text message, in the customer's language and time zone."""
        env = self.with_context(lang=partner.lang or self.env.lang).env
        tz = partner.tz or self.env.user.tz or "UTC"
        if resolved:
            return env._(
                "%(company)s: your internet service is restored (%(incident)s). We are sorry for the "
                "interruption.",
                company=self.company_id.name,
                incident=self.name,
            )
        return env._(
            "%(company)s: service interruption in your area since %(start)s (%(incident)s). We are "
            "working on it and will tell you when it is restored.",
            company=self.company_id.name,
            start=format_datetime(env, self.date_start, tz=tz, dt_format="short"),
            incident=self.name,
        )

    # --- outage credits ---------------------------------------------------------------------

    def _create_credits(self):
        """One credit per affected subscription in service (not already credited for this
        incident, even if it was reopened), as the company's setting says."""
        self.ensure_one()
        mode = self.company_id.isp_outage_credit
        if mode == "off" or not mode:
            return self.env["isp.incident.credit"]
        outage_credits = self.env["isp.incident.credit"].sudo()
        self.env.cr.execute(
            SQL("SELECT subscription_id FROM isp_incident_credit WHERE incident_id = %s", self.id)
        )
        done = {row[0] for row in self.env.cr.fetchall()}
        subscriptions = self._affected_subscriptions().filtered(
            lambda s: s.state == "active" and s.id not in done
        )
        values = []
        for subscription in subscriptions:
            amount = outage_credits._outage_amount(subscription, self.date_start, self.date_end)
            if amount > 0:
                values.append(
                    {
                        "incident_id": self.id,
                        "subscription_id": subscription.id,
                        "date_from": self.date_start,
                        "date_to": self.date_end,
                        "amount": amount,
                        "state": "to_approve",
                    }
                )
        created = outage_credits.create(values)
        if mode == "automatic":
            created._approve()
        return created
