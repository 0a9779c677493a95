# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from datetime import timedelta

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

# Memory for each hash and sort of a batch's statement (a batch of 100,000 rows needs about 50 MB).
ACCOUNTING_WORK_MEM = "64MB"
# New sessions in one batch beyond which the table's statistics are refreshed at once.
NEW_SESSIONS_ANALYZE = 1000
# Days after which closed sessions are deleted (system parameter; 0 keeps them for ever).
CLOSED_SESSION_DAYS_PARAM = "isp_radius.closed_session_days"
CLOSED_SESSION_DAYS = 365


class IspRadiusSession(models.Model):
    """A RADIUS accounting session as last read from radacct.

    It keeps the counters already counted as usage (so each byte is counted
    once), and says who is online, where and since when.
    """

    _name = "isp.radius.session"
    _description = "RADIUS Session"
    _order = "last_update desc, id desc"
    _rec_name = "unique_id"
    # Who wrote a session and when says nothing (the accounting read, every few minutes), and
    # those four columns cost a quarter of inserting a busy server's sessions (two more
    # foreign keys checked per row).
    _log_access = False

    # Few indexes: every accounting read updates these rows. (server_id, unique_id) is unique.
    server_id = fields.Many2one("isp.radius.server", required=True, ondelete="cascade")
    unique_id = fields.Char(string="Unique Session ID", required=True)
    acct_session_id = fields.Char(
        string="NAS Session ID", help="Acct-Session-Id, as the NAS names the session."
    )
    username = fields.Char(index=True)
    subscription_id = fields.Many2one("isp.subscription", index=True, ondelete="set null")
    nas_ip = fields.Char(string="NAS IP")
    framed_ip = fields.Char(string="IP Address")
    started_at = fields.Datetime()
    last_update = fields.Datetime()
    open = fields.Boolean(help="No accounting stop received yet.")
    session_time = fields.Integer(string="Session Time (s)")
    # Double precision, not numeric: exact to 2**53 bytes (9 PB a session), and compared and
    # subtracted a million times a read (numeric made each read's statement a sixth slower).
    # The views show them without decimals.
    input_octets = fields.Float(string="Uploaded (bytes)")
    output_octets = fields.Float(string="Downloaded (bytes)")
    disconnect_requested = fields.Boolean(readonly=True, help="The NAS acknowledged a Disconnect-Request.")
    disconnect_session_time = fields.Integer(
        readonly=True, help="The session time when the Disconnect-Request was acknowledged."
    )
    release_pending = fields.Boolean(
        string="Leaving the Walled Garden",
        readonly=True,
        help="Opened in the walled garden, its customer has been reconnected: the NAS has not yet "
        "confirmed the Disconnect (or CoA) that takes it out.",
    )

    _sql_constraints = [
        ("server_session_unique", "UNIQUE(server_id, unique_id)", "A session is recorded once per server."),
    ]

    def init(self):
        # Each accounting read rewrites these rows without touching an indexed column:
        # room on the page lets PostgreSQL update them in place (HOT), skipping the
        # index writes that otherwise dominate (measured: 13,000 -> 18,600 rows/s).
        # The old versions are pruned from the page only once no transaction of the server
        # can see them: while one runs long (a backup, a report, a billing run) each read
        # needs room for one more version. Pages 20% full leave room for four: 100,000 open
        # sessions were rewritten in 0.3-0.5 s each time, against 0.3 s then 2-3 s in turn
        # with pages half full (four indexes written on every other read).
        self.env.cr.execute("ALTER TABLE isp_radius_session SET (fillfactor = 20)")
        # The open sessions by subscription, for the online status. Interim updates change
        # neither the column nor the predicate: they stay HOT.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS isp_radius_session_open_idx ON isp_radius_session (subscription_id) "
            "WHERE open"
        )

    # -- accounting --------------------------------------------------------

    def _load_batch(self, source):
        """Copy a batch of radacct rows (COPY binary from ``source``, a file or a
        :class:`~odoo.addons.isp_radius.lib.copy_stream.CopyStream`; see the server's query)
        into this transaction's batch table. Returns its size."""
        cr = self.env.cr
        cr.execute(
            """
            CREATE TEMP TABLE IF NOT EXISTS isp_radacct_batch (
                unique_id varchar, acct_session_id varchar, username varchar, nas_ip varchar,
                framed_ip varchar, started_at timestamp, updated_at timestamp, stopped boolean,
                session_time bigint, input_octets float8, output_octets float8, day date,
                changed_at timestamp, radacct_id bigint
            );
            TRUNCATE isp_radacct_batch;
            """
        )
        cr.copy_expert("COPY isp_radacct_batch FROM STDIN WITH (FORMAT binary)", source)
        return cr.rowcount

    def _ingest(self, server):
        """Turn the loaded batch (:meth:`_load_batch`) into usage.

        The counters are compared in SQL, as :func:`odoo.addons.isp_subscription.lib.session_counters.delta` does
        (the tests check both agree): a million rows a minute is beyond a Python loop.
        One statement reads each session's counters seen last, writes
        the new ones, adds the deltas summed per (subscription, day) to the daily usage
        and updates the subscriptions' last-seen times, so that each row of the batch
        is read and written once. Returns how many sessions were new (see
        :meth:`_refresh_statistics`).
        """
        cr = self.env.cr
        self.flush_model()
        self.env["isp.subscription"].flush_model(["pppoe_username", "company_id", "network_last_seen"])
        Usage = self.env["isp.usage.daily"]
        Usage.flush_model()
        # The batch's rows, the sessions and the deltas are hashed and kept in memory, not on disk
        # (until the batch's transaction ends). The batch has no statistics (ANALYZE costs as much
        # as the join): the planner sizes it from its pages.
        cr.execute("SET LOCAL work_mem = %s", [ACCOUNTING_WORK_MEM])
        try:
            # A plain insert of the new sessions (a conflict check per row costs a fifth of
            # inserting them), and the batch again with one when a session was there after all.
            with cr.savepoint(flush=False):
                cr.execute(self._batch_statement(server), log_exceptions=False)
                result = cr.fetchone()
        except psycopg2.errors.UniqueViolation:
            cr.execute(self._batch_statement(server, conflicts=True))
            result = cr.fetchone()
        usage_ids, seen_ids, still_alive, inserted = result
        self.invalidate_model()
        Subscription = self.env["isp.subscription"]
        Subscription.browse(seen_ids or []).invalidate_recordset(["network_last_seen"])
        if usage_ids:
            Usage._usage_added(usage_ids)
        if still_alive:
            Subscription.browse(still_alive)._network_still_online()
        return inserted

    @api.model
    def _refresh_statistics(self, inserted):
        """After ``inserted`` new sessions: when the table's statistics do not know many of them
        (the first read of a busy server), refresh them, or the next batch's plan would take the
        table for empty and scan it once per row."""
        cr = self.env.cr
        cr.execute("SELECT reltuples FROM pg_class WHERE oid = 'isp_radius_session'::regclass")
        if inserted > max(NEW_SESSIONS_ANALYZE, cr.fetchone()[0] / 10):
            cr.execute("ANALYZE isp_radius_session")

    def _batch_statement(self, server, conflicts=False):
        """The statement of :meth:`_ingest`. With ``conflicts``, a new session that is in the
        table after all (a NAS's answer about it was recorded meanwhile) is updated."""
        on_conflict = (
            SQL(
                """
                    ON CONFLICT (server_id, unique_id) DO UPDATE SET
                        acct_session_id = EXCLUDED.acct_session_id,
                        username = EXCLUDED.username,
                        subscription_id = EXCLUDED.subscription_id,
                        nas_ip = EXCLUDED.nas_ip,
                        framed_ip = EXCLUDED.framed_ip,
                        started_at = EXCLUDED.started_at,
                        last_update = GREATEST(isp_radius_session.last_update, EXCLUDED.last_update),
                        open = isp_radius_session.open AND EXCLUDED.open,
                        session_time = EXCLUDED.session_time,
                        input_octets = EXCLUDED.input_octets,
                        output_octets = EXCLUDED.output_octets"""
            )
            if conflicts
            else SQL()
        )
        return SQL(
            """
                WITH seen AS (
                    -- Narrow rows (each is read five times below): what only a new session needs
                    -- is read from the batch by row address when it is inserted.
                    SELECT b.ctid AS batch_row, b.framed_ip, b.started_at,
                           b.updated_at, b.stopped, b.session_time, b.input_octets, b.output_octets, b.day,
                           s.id AS session_id, sub.id AS subscription_id,
                           s.id IS NOT NULL AND (
                               b.session_time < s.session_time
                               OR (b.session_time = s.session_time
                                   AND b.input_octets <= s.input_octets
                                   AND b.output_octets <= s.output_octets)
                           ) AS stale,
                           COALESCE(s.disconnect_requested AND NOT b.stopped
                                    AND b.session_time > s.disconnect_session_time, FALSE)
                               AS alive_after_disconnect,
                           COALESCE(s.input_octets, 0) AS seen_input,
                           COALESCE(s.output_octets, 0) AS seen_output,
                           COALESCE(s.session_time, 0) AS seen_time,
                           s.open AS was_open, s.last_update AS was_updated,
                           s.subscription_id AS was_subscription
                      FROM isp_radacct_batch b
                      LEFT JOIN isp_radius_session s
                        ON s.server_id = %(server)s AND s.unique_id = b.unique_id
                      LEFT JOIN isp_subscription sub
                        ON sub.pppoe_username = b.username AND sub.company_id = %(company)s
                ),
                delta AS MATERIALIZED (
                    -- A counter that went down while the session went on was restarted:
                    -- count its new value. Stale counters (a replay, a late update) are kept.
                    SELECT seen.*,
                           CASE WHEN stale THEN seen_time ELSE session_time END AS new_time,
                           CASE WHEN stale THEN seen_input ELSE input_octets END AS new_input,
                           CASE WHEN stale THEN seen_output ELSE output_octets END AS new_output,
                           CASE WHEN output_octets >= seen_output THEN output_octets - seen_output
                                ELSE output_octets END AS down,
                           CASE WHEN input_octets >= seen_input THEN input_octets - seen_input
                                ELSE input_octets END AS up,
                           CASE WHEN session_time >= seen_time THEN session_time - seen_time
                                ELSE session_time END AS seconds
                      FROM seen
                ),
                updated AS (
                    -- Sessions known already, by id: a hash join, no conflict handling per row.
                    -- The user name, NAS and session id are what FreeRADIUS's unique id is made of.
                    UPDATE isp_radius_session s SET
                        subscription_id = d.subscription_id,
                        framed_ip = d.framed_ip,
                        started_at = d.started_at,
                        last_update = GREATEST(d.was_updated, d.updated_at),
                        open = d.was_open AND NOT d.stopped,
                        session_time = d.new_time,
                        input_octets = d.new_input,
                        output_octets = d.new_output
                      FROM delta d
                     WHERE s.id = d.session_id
                       AND (d.seen_time, d.seen_input, d.seen_output, d.was_open, d.was_updated,
                            d.was_subscription)
                           IS DISTINCT FROM
                           (d.new_time, d.new_input, d.new_output, d.was_open AND NOT d.stopped,
                            GREATEST(d.was_updated, d.updated_at), d.subscription_id)
                ),
                inserted AS (
                    -- New sessions.
                    INSERT INTO isp_radius_session
                        (server_id, unique_id, acct_session_id, username, subscription_id, nas_ip,
                         framed_ip, started_at, last_update, open, session_time, input_octets,
                         output_octets)
                    SELECT %(server)s, b.unique_id, b.acct_session_id, b.username, d.subscription_id, b.nas_ip,
                           d.framed_ip, d.started_at, d.updated_at, NOT d.stopped, d.new_time, d.new_input,
                           d.new_output
                      FROM delta d
                      JOIN isp_radacct_batch b ON b.ctid = d.batch_row
                     WHERE d.session_id IS NULL
                     ORDER BY b.unique_id
                    %(on_conflict)s
                    RETURNING 1
                ),
                usage AS (%(usage)s),
                last_seen AS (
                    UPDATE isp_subscription s SET network_last_seen = v.seen
                      FROM (SELECT subscription_id, max(updated_at) AS seen FROM delta
                             WHERE subscription_id IS NOT NULL GROUP BY subscription_id) AS v
                     WHERE s.id = v.subscription_id
                       AND (s.network_last_seen IS NULL OR s.network_last_seen < v.seen)
                    RETURNING s.id
                )
                SELECT (SELECT array_agg(DISTINCT subscription_id) FROM usage),
                       (SELECT array_agg(id) FROM last_seen),
                       (SELECT array_agg(DISTINCT subscription_id) FROM delta
                         WHERE alive_after_disconnect AND subscription_id IS NOT NULL),
                       (SELECT count(*) FROM inserted)
                """,
            server=server.id,
            company=server.company_id.id,
            on_conflict=on_conflict,
            usage=self.env["isp.usage.daily"]._add_usage_query(
                SQL(
                    """
                        SELECT subscription_id, day, sum(down)::float8, sum(up)::float8, sum(seconds)::int
                          FROM delta
                         WHERE subscription_id IS NOT NULL AND NOT stale
                         GROUP BY subscription_id, day
                        """
                )
            ),
        )

    @api.model
    def _cron_purge_closed_sessions(self):
        """Delete the sessions closed more than ``isp_radius.closed_session_days`` days ago (365
        by default, 0: never). Their usage is in the daily usage already and a stopped session is
        never updated again, so the table stays small and its reads fast. Returns how many."""
        param = self.env["ir.config_parameter"].sudo().get_param(CLOSED_SESSION_DAYS_PARAM)
        try:
            days = int(param) if param not in (None, False, "") else CLOSED_SESSION_DAYS
        except ValueError:
            days = CLOSED_SESSION_DAYS
        if days <= 0:
            return 0
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "DELETE FROM isp_radius_session WHERE NOT open AND COALESCE(last_update, started_at) < %s",
                fields.Datetime.now() - timedelta(days=days),
            )
        )
        self.invalidate_model()
        return self.env.cr.rowcount

    def _update_online(self, server):
        """Online: an open session of the subscription was heard of lately (any server)."""
        self.env["isp.subscription"].flush_model(["network_online", "company_id"])
        self.flush_model()
        cr = self.env.cr
        silence = fields.Datetime.now() - timedelta(minutes=server.session_timeout or 15)
        # One pass over the open sessions, grouped by subscription (no lookup per subscription).
        cr.execute(
            """
            UPDATE isp_subscription s
               SET network_online = x.online
              FROM (SELECT t.id, l.subscription_id IS NOT NULL AS online
                      FROM isp_subscription t
                      LEFT JOIN (SELECT subscription_id, bool_or(server_id = %(server)s) AS here
                                   FROM isp_radius_session
                                  WHERE open AND subscription_id IS NOT NULL AND last_update > %(silence)s
                                  GROUP BY subscription_id) AS l ON l.subscription_id = t.id
                     WHERE t.company_id = %(company)s AND (t.network_online OR l.here)
                   ) AS x
             WHERE s.id = x.id AND s.network_online IS DISTINCT FROM x.online
            RETURNING s.id
            """,
            {"silence": silence, "server": server.id, "company": server.company_id.id},
        )
        changed = [row[0] for row in cr.fetchall()]
        self.env["isp.subscription"].browse(changed).invalidate_recordset(["network_online"])

    # -- CoA and Disconnect ------------------------------------------------

    def _record_nas_answers(self, answers):
        """Write what the NAS said of sessions: ``(server, subscription, target, values)`` each.

        A session the accounting read has not seen yet is added (with no counters, so that
        its usage is still counted when it is read), and gets ``values``.
        """
        self.flush_model()
        cr = self.env.cr
        for server, subscription, target, _values in answers:
            cr.execute(
                """
                INSERT INTO isp_radius_session
                    (server_id, unique_id, acct_session_id, username, subscription_id, nas_ip,
                     started_at, open, session_time, input_octets, output_octets)
                VALUES (%(server)s, %(unique_id)s, %(acct_session_id)s, %(username)s, %(subscription)s,
                        %(nas_ip)s, %(started_at)s, TRUE, 0, 0, 0)
                ON CONFLICT (server_id, unique_id) DO NOTHING
                """,
                {
                    "server": server.id,
                    "unique_id": target.unique_id,
                    "acct_session_id": target.acct_session_id,
                    "username": target.username,
                    "subscription": subscription.id,
                    "nas_ip": target.nas_ip,
                    "started_at": target.started_at,
                },
            )
        self.invalidate_model()
        for server, _subscription, target, values in answers:
            session = self.search([("server_id", "=", server.id), ("unique_id", "=", target.unique_id)])
            session.write(values)
