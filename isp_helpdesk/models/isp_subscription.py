# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import Counter
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from odoo.addons.isp_subscription.models.isp_subscription_churn_risk import INCIDENT_DAYS

TEAM_XMLID = "isp_helpdesk.helpdesk_team_isp_support"


class IspSubscription(models.Model):
    """The offline watch: one ticket per outage of an active, paid subscription."""

    _inherit = "isp.subscription"

    isp_offline_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Offline Ticket",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The ticket the offline watch opened for the outage going on.",
    )

    @api.model
    def _cron_isp_offline_watch(self):
        """Close the tickets of subscriptions back online, then open one for each outage that
        began more than the company's delay ago (where the company turned the watch on)."""
        now = fields.Datetime.now()
        self._isp_offline_watch_close()
        self._isp_offline_watch_open(now)
        return True

    def _isp_offline_watch_candidates(self, now):
        """Ids of the subscriptions that need an offline ticket now, in one query: active,
        nothing overdue, offline for longer than the company's delay, without one yet."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT s.id
                  FROM isp_subscription s
                  JOIN res_company c ON c.id = s.company_id
                 WHERE c.isp_offline_watch
                   AND s.state = 'active'
                   AND NOT COALESCE(s.network_online, FALSE)
                   AND s.network_last_seen IS NOT NULL
                   AND s.network_last_seen < %(now)s - make_interval(mins => GREATEST(c.isp_offline_watch_minutes, 1))
                   AND s.isp_offline_ticket_id IS NULL
                   AND NOT EXISTS (
                        SELECT 1
                          FROM account_move m
                         WHERE m.partner_id = s.partner_id
                           AND m.company_id = s.company_id
                           AND m.isp_invoice
                           AND m.state = 'posted'
                           AND m.payment_state IN ('not_paid', 'partial')
                           AND m.invoice_date_due < %(today)s)
                 ORDER BY s.id
                """,
                now=now,
                today=fields.Date.context_today(self),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _isp_offline_watch_open(self, now):
        subscriptions = self.browse(self._isp_offline_watch_candidates(now)).sudo()
        if not subscriptions:
            return self.env["helpdesk.ticket"]
        default_team = self.env.ref(TEAM_XMLID, raise_if_not_found=False)
        values = []
        for subscription in subscriptions:
            company = subscription.company_id
            team = company.isp_offline_watch_team_id or default_team
            if team and team.company_id and team.company_id != company:
                team = None
            env = subscription.with_company(company).env
            seen = format_datetime(env, subscription.network_last_seen, dt_format="short")
            values.append(
                {
                    "name": env._(
                        "%(subscription)s offline for more than %(minutes)s minutes",
                        subscription=subscription.name,
                        minutes=company.isp_offline_watch_minutes,
                    ),
                    "description": Markup("<p>%s</p>")
                    % env._(
                        "The offline watch found %(subscription)s of %(customer)s offline, last seen %(seen)s. "
                        "The service is active and paid: check the connection.",
                        subscription=subscription.name,
                        customer=subscription.partner_id.display_name,
                        seen=seen,
                    ),
                    "partner_id": subscription.partner_id.id,
                    "isp_subscription_id": subscription.id,
                    "company_id": company.id,
                    "team_id": team.id if team else False,
                    "user_id": False,
                    "isp_offline_watch": True,
                }
            )
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(mail_create_nosubscribe=True, mail_auto_subscribe_no_notify=True)
            .create(values)
        )
        for subscription, ticket in zip(subscriptions, tickets, strict=True):
            subscription.isp_offline_ticket_id = ticket
        return tickets

    def _isp_offline_watch_close(self):
        """Subscriptions back online: their outage ended. Close its ticket, unless an agent took it
        (then it stays open, with a note); a later outage opens a new ticket."""
        back = self.sudo().search([("isp_offline_ticket_id", "!=", False), ("network_online", "=", True)])
        if not back:
            return
        tickets = back.isp_offline_ticket_id
        open_tickets = tickets.filtered(lambda t: not t.stage_id.closed)
        to_close = open_tickets.filtered(lambda t: not t.user_id)
        for team, team_tickets in to_close.grouped("team_id").items():
            stage = team._get_applicable_stages().filtered("closed")[:1]
            if stage:
                team_tickets.write({"stage_id": stage.id})
        for ticket in open_tickets:
            ticket.message_post(
                body=self.env._("The subscription is back online: ticket closed by the offline watch.")
                if ticket in to_close
                else self.env._("The subscription is back online; the ticket stays with its agent."),
                subtype_xmlid="mail.mt_note",
            )
        back.isp_offline_ticket_id = False

    def _churn_incidents(self, today):
        """The outage incidents each subscription suffered, for the churn risk: those opened in
        the last ``INCIDENT_DAYS`` and affecting it (served below their sites, or in their area)."""
        since = fields.Datetime.to_datetime(today - timedelta(days=INCIDENT_DAYS))
        incidents = (
            self.env["isp.incident"].sudo().search([("state", "!=", "draft"), ("date_start", ">=", since)])
        )
        counts = Counter()
        for incident in incidents:
            counts.update(incident._affected_subscriptions().ids)
        return dict(counts)
