from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..lib import accounting, coa

# Rows per INSERT statement when the sessions of a batch are written back.
VALUES_PER_STATEMENT = 5000


class IspRadiusSession(models.Model):
    """A RADIUS accounting session as last read from radacct.

    It keeps the counters already counted as usage (so each byte is counted
    once), and says who is online, where and since when.
    """

    _name = "isp.radius.session"
    _description = "RADIUS Session"
    _order = "last_update desc, id desc"
    _rec_name = "unique_id"

    server_id = fields.Many2one("isp.radius.server", required=True, ondelete="cascade", index=True)
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
    open = fields.Boolean(index=True, help="No accounting stop received yet.")
    session_time = fields.Integer(string="Session Time (s)")
    input_octets = fields.Float(string="Uploaded (bytes)", digits=(20, 0))
    output_octets = fields.Float(string="Downloaded (bytes)", digits=(20, 0))
    disconnect_requested = fields.Boolean(readonly=True, help="The NAS acknowledged a Disconnect-Request.")
    disconnect_session_time = fields.Integer(
        readonly=True, help="The session time when the Disconnect-Request was acknowledged."
    )

    _sql_constraints = [
        ("server_session_unique", "UNIQUE(server_id, unique_id)", "A session is recorded once per server."),
    ]

    # -- accounting --------------------------------------------------------

    def _ingest(self, server, rows):
        """Turn radacct rows (see the server's query) into usage and remembered counters."""
        cr = self.env.cr
        self.env["isp.subscription"].flush_model(["pppoe_username", "company_id"])
        usernames = list({row[2] for row in rows})
        cr.execute(
            "SELECT pppoe_username, id FROM isp_subscription WHERE pppoe_username = ANY(%s) AND company_id = %s",
            [usernames, server.company_id.id],
        )
        subscriptions = dict(cr.fetchall())
        cr.execute(
            """SELECT unique_id, input_octets, output_octets, session_time,
                      CASE WHEN disconnect_requested THEN disconnect_session_time END
                 FROM isp_radius_session WHERE server_id = %s AND unique_id = ANY(%s)""",
            [server.id, [row[0] for row in rows]],
        )
        seen = {}
        disconnected_at = {}
        for uid, octets_in, octets_out, seconds, disconnect_time in cr.fetchall():
            seen[uid] = accounting.Counters(int(octets_in), int(octets_out), seconds)
            if disconnect_time is not None:
                disconnected_at[uid] = disconnect_time
        still_alive = set()
        usage = []
        sessions = []
        last_seen = {}
        for row in rows:
            uid, session_id, user, nas_ip, framed_ip, started, updated, stopped = row[:8]
            seconds, octets_in, octets_out, day = row[8:12]
            current = accounting.Counters(octets_in, octets_out, seconds)
            change, remembered = accounting.delta(seen.get(uid), current)
            subscription_id = subscriptions.get(user)
            if uid in disconnected_at and not stopped and seconds > disconnected_at[uid] and subscription_id:
                still_alive.add(subscription_id)
            if subscription_id:
                if change:
                    usage.append((subscription_id, day, change.bytes_down, change.bytes_up, change.seconds))
                if updated and (subscription_id not in last_seen or last_seen[subscription_id] < updated):
                    last_seen[subscription_id] = updated
            sessions.append(
                (
                    server.id,
                    uid,
                    session_id,
                    user,
                    subscription_id,
                    nas_ip,
                    framed_ip,
                    started,
                    updated,
                    not stopped,
                    remembered.session_time,
                    remembered.input_octets,
                    remembered.output_octets,
                )
            )
        self._write_sessions(sessions)
        self.env["isp.usage.daily"].add_usage(usage)
        if last_seen:
            cr.execute(
                SQL(
                    """UPDATE isp_subscription s SET network_last_seen = v.seen
                         FROM (VALUES %s) AS v(id, seen)
                        WHERE s.id = v.id AND (s.network_last_seen IS NULL OR s.network_last_seen < v.seen)""",
                    SQL(", ").join(SQL("(%s, %s::timestamp)", sid, seen) for sid, seen in last_seen.items()),
                )
            )
            self.env["isp.subscription"].browse(last_seen).invalidate_recordset(["network_last_seen"])
        if still_alive:
            self._still_alive(self.env["isp.subscription"].browse(still_alive))

    def _still_alive(self, subscriptions):
        """Sessions that went on after the NAS acknowledged their Disconnect: flag and retry."""
        cut = subscriptions.filtered(lambda s: s.network_state in ("suspended", "terminated", "none"))
        if not cut:
            return
        flagged = cut.filtered(lambda s: not s.online_while_suspended)
        flagged.online_while_suspended = True
        for subscription in flagged:
            subscription.message_post(
                body=self.env._("Still online after the suspension: the disconnection is sent again.")
            )
        self.env["isp.provisioning"].request(cut)

    def _write_sessions(self, sessions):
        self.flush_model()
        for start in range(0, len(sessions), VALUES_PER_STATEMENT):
            values = SQL(", ").join(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s::timestamp, %s::timestamp, %s, %s, %s, %s, %s, %s, %s, %s)",
                    *session,
                    self.env.uid,
                    self.env.uid,
                    SQL("now() at time zone 'UTC'"),
                    SQL("now() at time zone 'UTC'"),
                )
                for session in sessions[start : start + VALUES_PER_STATEMENT]
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO isp_radius_session
                        (server_id, unique_id, acct_session_id, username, subscription_id, nas_ip, framed_ip,
                         started_at, last_update, open, session_time, input_octets, output_octets,
                         create_uid, write_uid, create_date, write_date)
                    VALUES %s
                    ON CONFLICT (server_id, unique_id) DO UPDATE SET
                        acct_session_id = EXCLUDED.acct_session_id,
                        username = EXCLUDED.username,
                        subscription_id = EXCLUDED.subscription_id,
                        nas_ip = EXCLUDED.nas_ip,
                        framed_ip = EXCLUDED.framed_ip,
                        started_at = EXCLUDED.started_at,
                        last_update = GREATEST(isp_radius_session.last_update, EXCLUDED.last_update),
                        open = EXCLUDED.open AND isp_radius_session.open,
                        session_time = EXCLUDED.session_time,
                        input_octets = EXCLUDED.input_octets,
                        output_octets = EXCLUDED.output_octets,
                        write_uid = EXCLUDED.write_uid,
                        write_date = EXCLUDED.write_date
                    """,
                    values,
                )
            )
        self.invalidate_model()

    def _update_online(self, server):
        """Online: an open session of the subscription was heard of lately (any server)."""
        self.env["isp.subscription"].flush_model(["network_online", "company_id"])
        self.flush_model()
        cr = self.env.cr
        silence = fields.Datetime.now() - timedelta(minutes=server.session_timeout or 15)
        cr.execute(
            """
            UPDATE isp_subscription s
               SET network_online = x.online
              FROM (SELECT t.id,
                           EXISTS (SELECT 1 FROM isp_radius_session r
                                    WHERE r.subscription_id = t.id AND r.open AND r.last_update > %(silence)s
                           ) AS online
                      FROM isp_subscription t
                     WHERE t.company_id = %(company)s
                       AND (t.network_online
                            OR t.id IN (SELECT subscription_id FROM isp_radius_session
                                         WHERE server_id = %(server)s AND open AND last_update > %(silence)s))
                   ) AS x
             WHERE s.id = x.id AND s.network_online IS DISTINCT FROM x.online
            RETURNING s.id
            """,
            {"silence": silence, "server": server.id, "company": server.company_id.id},
        )
        changed = [row[0] for row in cr.fetchall()]
        self.env["isp.subscription"].browse(changed).invalidate_recordset(["network_online"])

    # -- CoA and Disconnect ------------------------------------------------

    def _nas_for(self):
        return {
            nas.ip_address: nas
            for nas in self.env["isp.nas"]
            .sudo()
            .search([("ip_address", "in", list(set(self.mapped("nas_ip"))))])
        }

    def _send(self, kind, subscription, extra=None):
        """Send ``kind`` to the NAS of each session; log each answer on the subscription."""
        nases = self._nas_for()
        failures = []
        for session in self:
            server = session.server_id
            nas = nases.get(session.nas_ip)
            if not nas or not nas.radius_secret:
                failures.append(self.env._("no NAS with a RADIUS secret at %s", session.nas_ip))
                continue
            result = coa.send(
                kind,
                session.nas_ip,
                nas.radius_secret,
                {"User-Name": session.username, "Acct-Session-Id": session.acct_session_id, **(extra or {})},
                port=nas.coa_port or coa.DEFAULT_PORT,
                timeout=server.coa_timeout or 3,
                retries=server.coa_retries,
            )
            gone = result.error_cause == "Session-Context-Not-Found"
            label = self.env._("Disconnect") if kind == coa.DISCONNECT else self.env._("Change of speed")
            subscription.message_post(
                body=self.env._(
                    "%(request)s sent to %(nas)s for session %(session)s: %(answer)s",
                    request=label,
                    nas=nas.name,
                    session=session.unique_id,
                    answer=" ".join(filter(None, [result.message, result.error_cause])),
                )
            )
            if gone:
                session.open = False
            elif result.ok and kind == coa.DISCONNECT:
                session.write({"disconnect_requested": True, "disconnect_session_time": session.session_time})
            elif not result.ok:
                failures.append(f"{nas.name}: {result.message} {result.error_cause}".strip())
        if failures:
            # The provisioning job records this and retries with a growing delay.
            raise UserError(self.env._("The NAS did not confirm: %s", "; ".join(failures)))

    def _disconnect(self, subscription):
        self._send(coa.DISCONNECT, subscription)

    def _change_rate(self, subscription):
        self._send(coa.COA, subscription, {"Mikrotik-Rate-Limit": subscription.rate_limit})
