# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.isp_base.access import check_isp_group

from ..lib import usage

BATCH_SIZE = 5000


class IspUsageDaily(models.Model):
    """A subscription's traffic and session time on one day, fed by the network addons.

    Byte counters are floats: Odoo's Integer is 32-bit, and a double holds whole
    numbers exactly up to 9 PB.
    """

    _name = "isp.usage.daily"
    _description = "Daily Usage"
    _order = "day desc, id desc"
    _rec_name = "day"

    # The unique (subscription_id, day) index serves lookups by subscription and period:
    # no other index to maintain on every update of a day's counters.
    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="subscription_id.company_id", store=True, index=True)
    day = fields.Date(required=True)
    bytes_down = fields.Float(string="Downloaded (bytes)", digits=(20, 0))
    bytes_up = fields.Float(string="Uploaded (bytes)", digits=(20, 0))
    session_seconds = fields.Integer(string="Session Time (s)")

    _sql_constraints = [
        (
            "subscription_day_unique",
            "UNIQUE(subscription_id, day)",
            "One usage record per subscription and day.",
        ),
    ]

    @api.model
    def add_usage(self, rows):
        """Record usage by hand (ISP Manager): ``[[subscription_id, "YYYY-MM-DD", bytes_down,
        bytes_up, session_seconds], ...]`` added to each day's totals. Returns True.

        Network addons count usage themselves (:meth:`_add_usage`); this is for corrections and
        for an outside collector. Negative or absurd amounts are refused, nothing is added then.
        """
        check_isp_group(self.env, "isp_base.group_isp_manager")
        clean = []
        for row in rows:
            try:
                sid, day, down, up, seconds = row
                day = fields.Date.to_date(day)
                down, up, seconds = float(down or 0), float(up or 0), int(seconds or 0)
            except (TypeError, ValueError) as error:
                raise UserError(
                    self.env._(
                        "Usage is given as [subscription id, day YYYY-MM-DD, bytes down, bytes up, seconds], "
                        "not %s.",
                        row,
                    )
                ) from error
            if min(down, up, seconds) < 0 or max(down, up) > usage.MAX_DAILY_BYTES or seconds > 86400:
                raise UserError(
                    self.env._(
                        "Usage must be positive and possible in one day (at most %(tb)s TB and 86,400 s): %(row)s.",
                        tb=usage.MAX_DAILY_BYTES // 10**12,
                        row=row,
                    )
                )
            clean.append((sid, day, down, up, seconds))
        subscriptions = self.env["isp.subscription"].browse({row[0] for row in clean}).exists()
        if len(subscriptions) != len({row[0] for row in clean}):
            raise UserError(self.env._("Usage was given for a subscription that does not exist."))
        subscriptions.check_access("write")
        self._add_usage(clean)
        return True

    @api.model
    def _add_usage(self, rows):
        """Add ``(subscription_id, day, bytes_down, bytes_up, session_seconds)`` deltas.

        One statement for the whole batch, safe against concurrent jobs adding to
        the same day; then the fair-usage speed follows the new totals. The caller
        (an accounting reader) makes sure each delta is given once.
        """
        totals = {}
        for sid, day, down, up, seconds in rows:
            key = (sid, day)
            previous = totals.get(key, (0, 0, 0))
            totals[key] = (previous[0] + down, previous[1] + up, previous[2] + seconds)
        if not totals:
            return
        self.flush_model()
        items = list(totals.items())
        for start in range(0, len(items), BATCH_SIZE):
            values = SQL(", ").join(
                SQL("(%s, %s::date, %s::float8, %s::float8, %s::int)", sid, day, down, up, seconds)
                for (sid, day), (down, up, seconds) in items[start : start + BATCH_SIZE]
            )
            self.env.cr.execute(self._add_usage_query(SQL("VALUES %s", values)))
        self._usage_added({row[0] for row in rows})

    @api.model
    def _add_usage_query(self, source):
        """The statement that adds the rows of ``source`` to each day's totals: a query or a
        VALUES list of ``(subscription_id, day, bytes_down float8, bytes_up float8,
        session_seconds int)``, each (subscription, day) at most once. It returns the
        subscription of each row, so that a reader computing its deltas in SQL can add them
        in the same statement (a data-modifying WITH); it then calls :meth:`_usage_added`.
        """
        return SQL(
            """
            INSERT INTO isp_usage_daily
                (subscription_id, company_id, day, bytes_down, bytes_up, session_seconds,
                 create_uid, write_uid, create_date, write_date)
            SELECT v.sid, s.company_id, v.day, v.down, v.up, v.seconds,
                   %s, %s, now() at time zone 'UTC', now() at time zone 'UTC'
              FROM (%s) AS v(sid, day, down, up, seconds)
              JOIN isp_subscription s ON s.id = v.sid
            ON CONFLICT (subscription_id, day) DO UPDATE SET
                bytes_down = isp_usage_daily.bytes_down + EXCLUDED.bytes_down,
                bytes_up = isp_usage_daily.bytes_up + EXCLUDED.bytes_up,
                session_seconds = isp_usage_daily.session_seconds + EXCLUDED.session_seconds,
                write_uid = EXCLUDED.write_uid,
                write_date = EXCLUDED.write_date
            RETURNING isp_usage_daily.subscription_id
            """,
            self.env.uid,
            self.env.uid,
            source,
        )

    @api.model
    def _usage_added(self, subscription_ids):
        """After usage was added to these subscriptions: the fair-usage speed follows the totals."""
        self.invalidate_model()
        subscriptions = self.env["isp.subscription"].browse(subscription_ids)
        subscriptions.invalidate_recordset(["usage_period_bytes"])
        subscriptions._update_fair_usage()
