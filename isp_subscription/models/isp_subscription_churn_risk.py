# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import json
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..lib import churn_risk

USAGE_WINDOW_DAYS = 30
USAGE_WINDOWS_BEFORE = 3
TICKET_DAYS = INCIDENT_DAYS = 90
PAYMENT_DAYS = SUSPENSION_DAYS = 365
RISK_LEVELS = [("none", "None"), ("low", "Low"), ("medium", "Medium"), ("high", "High")]


class IspSubscriptionSuspension(models.Model):
    _inherit = "isp.subscription.suspension"

    for_debt = fields.Boolean(readonly=True, help="Suspended by dunning for an unpaid invoice.")


class IspSubscription(models.Model):
    """Risk that the customer leaves (``lib/churn_risk.py``): stored, recomputed daily for
    every subscription in service with a few set-based queries, its reasons worded in the
    reader's language."""

    _inherit = "isp.subscription"  # pylint: disable=consider-merging-classes-inherited

    churn_risk_score = fields.Integer(
        string="Risk of Leaving",
        readonly=True,
        copy=False,
        index=True,
        aggregator="max",
        help="0 to 100, the sum of the points of each reason (falling usage, repeated tickets, "
        "late payments, outages suffered); recomputed daily.",
    )
    churn_risk_level = fields.Selection(
        RISK_LEVELS, string="Risk Level", readonly=True, copy=False, default="none"
    )
    churn_risk_data = fields.Json(readonly=True, copy=False)
    churn_risk_reasons = fields.Text(string="Why at Risk", compute="_compute_churn_risk_reasons")
    churn_risk_date = fields.Date(string="Risk Computed On", readonly=True, copy=False)

    def _suspend(self, reason=None, for_debt=False):
        result = super()._suspend(reason=reason, for_debt=for_debt)
        if for_debt:
            self.suspension_ids.filtered(lambda s: not s.date_to).sudo().write({"for_debt": True})
        return result

    @api.depends("churn_risk_data")
    def _compute_churn_risk_reasons(self):
        for subscription in self:
            subscription.churn_risk_reasons = (
                "\n".join(self._churn_reason_text(reason) for reason in subscription.churn_risk_data or [])
                or False
            )

    @api.model
    def _churn_reason_text(self, reason):
        values = dict(reason.get("values") or {}, points=reason["points"])
        code = reason["code"]
        if code == "usage_drop":
            return self.env._(
                "Usage down %(percent)s%%: %(now_gb)s GB in the last 30 days against %(before_gb)s GB "
                "on average before (+%(points)s)",
                **values,
            )
        if code == "tickets":
            return self.env._("%(count)s helpdesk tickets in the last 90 days (+%(points)s)", **values)
        if code == "overdue":
            return self.env._("%(count)s invoices overdue now (+%(points)s)", **values)
        if code == "late_payments":
            return self.env._("%(count)s invoices paid late in the last 12 months (+%(points)s)", **values)
        if code == "debt_suspensions":
            return self.env._(
                "Suspended %(count)s times for debt in the last 12 months (+%(points)s)", **values
            )
        if code == "incidents":
            return self.env._("Affected by %(count)s outages in the last 90 days (+%(points)s)", **values)
        return f"{code} (+{reason['points']})"

    @api.model
    def _cron_update_churn_risk(self):
        """Daily: the risk of leaving of every subscription in service."""
        self._update_churn_risk()
        return True

    @api.model
    def _update_churn_risk(self, today=None):
        """Score every active or suspended subscription (the others go back to no risk):
        one query per signal, one UPDATE for all."""
        today = today or fields.Date.context_today(self)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT id, partner_id, company_id, date_start FROM isp_subscription "
                "WHERE state IN ('active', 'suspended')"
            )
        )
        rows = cr.fetchall()
        usage = self._churn_usage(today)
        payments = self._churn_payments(today)
        suspensions = self._churn_debt_suspensions(today)
        tickets = self._churn_tickets(today, {partner for _sid, partner, _company, _start in rows})
        incidents = self._churn_incidents(today)
        ids, scores, levels, data = [], [], [], []
        for sid, partner_id, company_id, date_start in rows:
            now, before = self._churn_usage_windows(usage.get(sid), date_start, today)
            late, overdue = payments.get((partner_id, company_id), (0, 0))
            risk = churn_risk.assess(
                churn_risk.Signals(
                    usage_now=now,
                    usage_before=before,
                    tickets=None if tickets is None else tickets.get(partner_id, 0),
                    late_payments=late,
                    overdue_invoices=overdue,
                    debt_suspensions=suspensions.get(sid, 0),
                    incidents=None if incidents is None else incidents.get(sid, 0),
                )
            )
            ids.append(sid)
            scores.append(risk.score)
            levels.append(risk.level)
            data.append(
                json.dumps([{"code": r.code, "points": r.points, "values": r.values} for r in risk.reasons])
                if risk.reasons
                else None
            )
        cr.execute(
            SQL(
                """
                UPDATE isp_subscription s
                   SET churn_risk_score = v.score, churn_risk_level = v.level,
                       churn_risk_data = v.data::jsonb, churn_risk_date = %(today)s
                  FROM (SELECT unnest(%(ids)s::int[]) AS id, unnest(%(scores)s::int[]) AS score,
                               unnest(%(levels)s::varchar[]) AS level, unnest(%(data)s::text[]) AS data) v
                 WHERE s.id = v.id
                """,
                today=today,
                ids=ids,
                scores=scores,
                levels=levels,
                data=data,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE isp_subscription
                   SET churn_risk_score = 0, churn_risk_level = 'none', churn_risk_data = NULL,
                       churn_risk_date = %(today)s
                 WHERE state NOT IN ('active', 'suspended')
                   AND (churn_risk_score != 0 OR churn_risk_data IS NOT NULL)
                """,
                today=today,
            )
        )
        self.invalidate_model(["churn_risk_score", "churn_risk_level", "churn_risk_data", "churn_risk_date"])
        return len(ids)

    @api.model
    def _churn_usage_windows(self, volumes, date_start, today):
        """``(usage_now, usage_before)`` from the 30-day windows' volumes (most recent first),
        keeping only the windows the subscription was in service for from their first day."""
        volumes = volumes or [0] * (USAGE_WINDOWS_BEFORE + 1)
        last = today - timedelta(days=1)
        full = [
            bool(date_start) and date_start <= last - timedelta(days=USAGE_WINDOW_DAYS * (k + 1) - 1)
            for k in range(USAGE_WINDOWS_BEFORE + 1)
        ]
        if not full[0]:
            return 0, ()
        return volumes[0], tuple(volume for volume, whole in zip(volumes[1:], full[1:], strict=True) if whole)

    @api.model
    def _churn_usage(self, today):
        """``{subscription id: [bytes of the last 30 days, of the 30 before, ...]}`` up to yesterday."""
        last = today - timedelta(days=1)
        windows = SQL(", ").join(
            SQL(
                "COALESCE(SUM(u.bytes_down + u.bytes_up) FILTER (WHERE u.day > %s AND u.day <= %s), 0)",
                last - timedelta(days=USAGE_WINDOW_DAYS * (k + 1)),
                last - timedelta(days=USAGE_WINDOW_DAYS * k),
            )
            for k in range(USAGE_WINDOWS_BEFORE + 1)
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT u.subscription_id, %s
                  FROM isp_usage_daily u
                  JOIN isp_subscription s ON s.id = u.subscription_id AND s.state IN ('active', 'suspended')
                 WHERE u.day > %s AND u.day <= %s
                 GROUP BY u.subscription_id
                """,
                windows,
                last - timedelta(days=USAGE_WINDOW_DAYS * (USAGE_WINDOWS_BEFORE + 1)),
                last,
            )
        )
        return {row[0]: list(row[1:]) for row in self.env.cr.fetchall()}

    @api.model
    def _churn_payments(self, today):
        """``{(partner id, company id): (invoices paid late in 12 months, invoices overdue now)}``."""
        self.env.cr.execute(
            SQL(
                """
                SELECT m.partner_id, m.company_id,
                       COUNT(*) FILTER (WHERE m.payment_state IN ('paid', 'in_payment')
                                          AND paid.paid_on > m.invoice_date_due
                                          AND m.invoice_date_due > %(year_ago)s),
                       COUNT(*) FILTER (WHERE m.payment_state IN ('not_paid', 'partial')
                                          AND m.invoice_date_due < %(today)s)
                  FROM account_move m
                  LEFT JOIN LATERAL (
                        SELECT MAX(apr.max_date) AS paid_on
                          FROM account_move_line l
                          JOIN account_partial_reconcile apr ON apr.debit_move_id = l.id
                         WHERE l.move_id = m.id
                  ) paid ON m.payment_state IN ('paid', 'in_payment')
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND m.isp_invoice
                   AND (m.payment_state IN ('not_paid', 'partial') OR m.invoice_date_due > %(year_ago)s)
                 GROUP BY m.partner_id, m.company_id
                """,
                today=today,
                year_ago=today - timedelta(days=PAYMENT_DAYS),
            )
        )
        return {
            (partner, company): (late, overdue) for partner, company, late, overdue in self.env.cr.fetchall()
        }

    @api.model
    def _churn_debt_suspensions(self, today):
        self.env.cr.execute(
            SQL(
                "SELECT subscription_id, COUNT(*) FROM isp_subscription_suspension "
                "WHERE for_debt AND date_from > %s GROUP BY subscription_id",
                today - timedelta(days=SUSPENSION_DAYS),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _churn_tickets(self, today, partner_ids):
        """``{partner id: tickets of the last 90 days}``, or None without a helpdesk."""
        if "helpdesk.ticket" not in self.env:
            return None
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        partner_field = "commercial_partner_id" if "commercial_partner_id" in Ticket._fields else "partner_id"
        groups = Ticket._read_group(
            [
                (partner_field, "in", list(partner_ids)),
                ("create_date", ">=", fields.Datetime.to_datetime(today - timedelta(days=TICKET_DAYS))),
            ],
            [partner_field],
            ["__count"],
        )
        return {partner.id: count for partner, count in groups}

    @api.model
    def _churn_incidents(self, today):
        """``{subscription id: outage incidents suffered in the last INCIDENT_DAYS}``, or None
        where nothing records outages (the helpdesk's incidents implement it)."""
        return None

    def action_open_churn_risk(self):
        """The subscriptions at risk of leaving, riskiest first (ISP Billing)."""
        self._check_isp_group("isp_base.group_isp_billing")
        return self.env["ir.actions.act_window"]._for_xml_id("isp_subscription.action_isp_churn_risk")


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    isp_churn_risk_score = fields.Integer(
        string="Risk of Leaving",
        compute="_compute_isp_churn_risk",
        groups="isp_base.group_isp_billing",
        help="The highest risk of the customer's subscriptions in service.",
    )
    isp_churn_risk_level = fields.Selection(
        RISK_LEVELS,
        string="Risk Level",
        compute="_compute_isp_churn_risk",
        groups="isp_base.group_isp_billing",
    )
    isp_churn_risk_reasons = fields.Text(
        string="Why at Risk", compute="_compute_isp_churn_risk", groups="isp_base.group_isp_billing"
    )

    def _compute_isp_churn_risk(self):
        riskiest = defaultdict(lambda: self.env["isp.subscription"])
        subscriptions = self.env["isp.subscription"].search(
            [("partner_id", "in", self.ids), ("churn_risk_score", ">", 0)], order="churn_risk_score desc"
        )
        for subscription in subscriptions:
            riskiest[subscription.partner_id.id] = riskiest[subscription.partner_id.id] or subscription
        for partner in self:
            subscription = riskiest.get(partner.id)
            partner.isp_churn_risk_score = subscription.churn_risk_score if subscription else 0
            partner.isp_churn_risk_level = subscription.churn_risk_level if subscription else "none"
            partner.isp_churn_risk_reasons = subscription.churn_risk_reasons if subscription else False
