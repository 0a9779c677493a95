# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

from odoo import fields, models

from odoo.addons.isp_subscription.lib import periods, proration, usage

# The usage page shows the current monthly usage period and the three before it.
PORTAL_USAGE_PERIODS = 4


class IspSubscription(models.Model):
    _inherit = "isp.subscription"  # pylint: disable=consider-merging-classes-inherited

    def _isp_portal_usage_periods(self, count=PORTAL_USAGE_PERIODS, today=None):
        """The current monthly usage period and up to ``count - 1`` before it (none before the
        start date), newest first, each a dict: ``first``, ``last``, ``current``, ``plan`` (the
        plan of its first day), ``cap_gb`` (0: unlimited), ``days`` (``[(day, bytes)]`` for
        every day of the period up to today), ``total`` (bytes), ``remaining`` (bytes, None
        without a cap), ``over_cap``.

        Every day's usage comes from one grouped query, however long the history. Usage dated
        before the start date (recorded a time zone apart) counts in the first period, on its
        first day, as in :meth:`_usage_period_bytes`.
        """
        self.ensure_one()
        if self.state == "draft" or not self.date_start:
            return []
        today = today or fields.Date.context_today(self)
        bounds = [self._usage_period(today)]
        while len(bounds) < count and bounds[-1][0] > self.date_start:
            bounds.append(
                periods.period_containing(self.date_start, "monthly", bounds[-1][0] - timedelta(days=1))
            )
        from_start = bounds[-1][0] <= self.date_start
        daily = {
            day: (down or 0.0) + (up or 0.0)
            for day, down, up in self.env["isp.usage.daily"]
            .sudo()
            ._read_group(
                [
                    ("subscription_id", "=", self.id),
                    ("day", "<=", bounds[0][1]),
                    *([] if from_start else [("day", ">=", bounds[-1][0])]),
                ],
                ["day:day"],
                ["bytes_down:sum", "bytes_up:sum"],
            )
        }
        before_start = sum(volume for day, volume in daily.items() if day < self.date_start)
        timeline = self._plan_timeline()
        result = []
        for first, last in bounds:
            plan = proration.plan_on(timeline, first)
            shown_last = min(last, today)
            days = []
            day = first
            while day <= shown_last:
                days.append((day, daily.get(day, 0.0) + (before_start if day == self.date_start else 0.0)))
                day += timedelta(days=1)
            total = sum(volume for _day, volume in days)
            cap_gb = plan.data_cap_gb or 0
            result.append(
                {
                    "first": first,
                    "last": last,
                    "current": first <= today <= last,
                    "plan": plan,
                    "cap_gb": cap_gb,
                    "days": days,
                    "total": total,
                    "remaining": max(cap_gb * usage.BYTES_PER_GB - total, 0.0) if cap_gb else None,
                    "over_cap": usage.is_over_cap(total, cap_gb),
                }
            )
        return result
