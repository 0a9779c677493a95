# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import datetime, time
from decimal import Decimal

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.misc import format_datetime

from odoo.addons.isp_subscription.lib import periods, proration

from ..lib import outage_credit

BILLING_GROUP = "isp_base.group_isp_billing"


class IspIncidentCredit(models.Model):
    """The credit of one subscription for one outage incident: the outage time priced with the
    billing's daily-price rule, a one-time credit on the next invoice once approved.

    One per subscription and incident, however often the incident is reopened. Created when
    the incident is resolved: approved at once (company setting *automatic*) or left to
    approve by billing staff (*after review*)."""

    _name = "isp.incident.credit"
    _description = "Outage Credit"
    _order = "id desc"
    _rec_name = "subscription_id"

    incident_id = fields.Many2one(
        "isp.incident", required=True, ondelete="restrict", index=True, readonly=True
    )
    subscription_id = fields.Many2one(
        "isp.subscription", required=True, ondelete="cascade", index=True, readonly=True
    )
    partner_id = fields.Many2one(related="subscription_id.partner_id", store=True, string="Customer")
    company_id = fields.Many2one(related="subscription_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Datetime(string="Outage From", readonly=True)
    date_to = fields.Datetime(string="Outage To", readonly=True)
    hours = fields.Float(compute="_compute_hours", string="Outage (hours)")
    amount = fields.Monetary(readonly=True, help="Credited on the next invoice (before taxes).")
    state = fields.Selection(
        [("to_approve", "To Approve"), ("approved", "Approved"), ("refused", "Refused")],
        default="to_approve",
        required=True,
        readonly=True,
        index=True,
    )
    charge_id = fields.Many2one(
        "isp.subscription.charge", string="One-time Credit", readonly=True, ondelete="set null"
    )
    invoiced = fields.Boolean(related="charge_id.invoiced")
    approved_uid = fields.Many2one("res.users", string="Approved By", readonly=True)

    _sql_constraints = [
        (
            "incident_subscription_unique",
            "UNIQUE(incident_id, subscription_id)",
            "A subscription gets one credit per outage incident.",
        ),
    ]

    @api.depends("date_from", "date_to")
    def _compute_hours(self):
        for credit in self:
            credit.hours = (
                (credit.date_to - credit.date_from).total_seconds() / 3600
                if credit.date_from and credit.date_to
                else 0.0
            )

    # --- the amount ---------------------------------------------------------------------

    @api.model
    def _outage_amount(self, subscription, date_from, date_to):
        """The credit (a positive float) of ``subscription`` for an outage from ``date_from``
        to ``date_to`` (UTC): each billing period's part of the outage, in days in the
        customer's time zone, priced by the daily-price rule at the service's price (the plan
        of the outage's first day and the add-ons)."""
        tz = pytz.timezone(subscription.partner_id.tz or subscription.company_id.partner_id.tz or "UTC")
        start = pytz.utc.localize(date_from).astimezone(tz).replace(tzinfo=None)
        end = pytz.utc.localize(date_to).astimezone(tz).replace(tzinfo=None)
        if subscription.date_start:
            start = max(start, datetime.combine(subscription.date_start, time.min))
        plan = proration.plan_on(subscription._plan_timeline(), start.date())
        price = Decimal(str(plan.lst_price)) + sum(
            (Decimal(str(a.price_unit)) * Decimal(str(a.quantity)) for a in subscription.addon_ids),
            Decimal(0),
        )
        anchor = subscription.date_start or start.date()
        period = subscription.billing_period or "monthly"
        rounding = subscription._rounding()
        amount = Decimal(0)
        for period_start, period_end, days in outage_credit.outage_parts(
            start, end, lambda day: periods.period_containing(anchor, period, day)
        ):
            period_days = periods.days_between(period_start, period_end)
            amount += proration.cumulative_amount(price, period_days, min(days, period_days), rounding)
        return float(amount)

    # --- review -------------------------------------------------------------------------

    def _check_billing(self):
        if not self.env.user.has_group(BILLING_GROUP):
            raise AccessError(self.env._("Only billing staff and ISP managers approve outage credits."))
        self.check_access("write")

    def action_approve(self):
        """Approve the credits: each becomes a one-time credit on its subscription's next
        invoice (billing staff, ISP managers)."""
        self._check_billing()
        if self.filtered(lambda c: c.state != "to_approve"):
            raise UserError(self.env._("Only credits to approve can be approved."))
        self.sudo()._approve()
        return True

    def action_refuse(self):
        """Refuse the credits: nothing is credited (billing staff, ISP managers)."""
        self._check_billing()
        if self.filtered(lambda c: c.state != "to_approve"):
            raise UserError(self.env._("Only credits to approve can be refused."))
        self.write({"state": "refused"})
        return True

    def _approve(self):
        """The one-time credits for the next invoices, made in one create."""
        todo = self.filtered(lambda c: not c.charge_id)
        values = []
        for credit in todo:
            subscription = credit.subscription_id
            env = subscription._customer_env()
            tz = subscription.partner_id.tz or subscription.company_id.partner_id.tz or "UTC"
            values.append(
                subscription._charge_values(
                    -credit.amount,
                    env._(
                        "Outage credit: %(incident)s, %(start)s to %(end)s",
                        incident=credit.incident_id.name,
                        start=format_datetime(env, credit.date_from, tz=tz, dt_format="short"),
                        end=format_datetime(env, credit.date_to, tz=tz, dt_format="short"),
                    ),
                    kind="credit",
                )
            )
        charges = self.env["isp.subscription.charge"].sudo().create(values)
        for credit, charge in zip(todo, charges, strict=True):
            credit.charge_id = charge
        self.write({"state": "approved", "approved_uid": self.env.uid})
        return True
