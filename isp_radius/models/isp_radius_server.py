import io
import logging
from contextlib import contextmanager
from datetime import timedelta

import psycopg2
from psycopg2 import sql as pgsql

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.base.models.res_partner import _tz_get
from odoo.addons.isp_base.models.isp_nas import SECRET_GROUP
from odoo.addons.queue_job.job import identity_exact

from ..lib import attributes

_logger = logging.getLogger(__name__)

# Rows of radacct read per batch; each batch is one transaction on both databases.
ACCOUNTING_BATCH = 100000
# Changes older than the watermark by less than this are read again: a row updated by a
# statement that committed late is not missed, and reading one twice counts nothing.
ACCOUNTING_OVERLAP = timedelta(minutes=5)
NAS_TAG = "odoo:"

# Installed once in each RADIUS database: radacct rows carry the time they last
# changed on the database's own clock (Debian's queries set AcctUpdateTime from the
# NAS's Event-Timestamp, which can be late or wrong), indexed for incremental reads.
TRACKING_DDL = """
ALTER TABLE radacct ADD COLUMN IF NOT EXISTS isp_changed_at timestamptz NOT NULL DEFAULT clock_timestamp();
CREATE INDEX IF NOT EXISTS radacct_isp_changed_idx ON radacct (isp_changed_at, radacctid);
CREATE OR REPLACE FUNCTION isp_radacct_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.isp_changed_at := clock_timestamp();
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS isp_radacct_touch ON radacct;
CREATE TRIGGER isp_radacct_touch BEFORE UPDATE ON radacct FOR EACH ROW EXECUTE FUNCTION isp_radacct_touch();
"""

# What changed since (changed_at, radacctid), in the column order of isp_radacct_batch.
ACCOUNTING_QUERY = """
COPY (
    SELECT acctuniqueid, acctsessionid, username, host(nasipaddress), host(framedipaddress),
           acctstarttime AT TIME ZONE 'UTC',
           COALESCE(acctstoptime, acctupdatetime, acctstarttime) AT TIME ZONE 'UTC',
           acctstoptime IS NOT NULL,
           COALESCE(acctsessiontime, 0), COALESCE(acctinputoctets, 0), COALESCE(acctoutputoctets, 0),
           (isp_changed_at AT TIME ZONE %(tz)s)::date,
           isp_changed_at AT TIME ZONE 'UTC',
           radacctid
      FROM radacct
     WHERE (isp_changed_at, radacctid) > (%(since)s AT TIME ZONE 'UTC', %(after)s)
     ORDER BY isp_changed_at, radacctid
     LIMIT %(limit)s
) TO STDOUT
"""

# Server settings that change the rows of radgroupcheck/radgroupreply.
GROUP_FIELDS = {
    "suspended_mode",
    "reject_message",
    "walled_garden_pool",
    "walled_garden_address_list",
    "group_active",
    "group_fair_usage",
    "group_suspended",
}

USER_TABLES = (("radcheck", "check"), ("radreply", "reply"))


class IspRadiusServer(models.Model):
    """A FreeRADIUS SQL database (Debian's PostgreSQL schema) that Odoo keeps in step."""

    _name = "isp.radius.server"
    _description = "FreeRADIUS Database"
    _order = "name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    db_host = fields.Char(
        string="Host", required=True, default="localhost", help="Host name, IP or socket folder."
    )
    db_port = fields.Integer(string="Port", required=True, default=5432)
    db_name = fields.Char(string="Database", required=True, default="radius")
    db_user = fields.Char(string="User", required=True, default="radius")
    db_password = fields.Char(string="Password", groups=SECRET_GROUP, copy=False)
    db_sslmode = fields.Selection(
        [("disable", "Disable"), ("prefer", "Prefer"), ("require", "Require"), ("verify-full", "Verify")],
        string="SSL",
        required=True,
        default="prefer",
    )
    connect_timeout = fields.Integer(string="Timeout (s)", default=5)
    suspended_mode = fields.Selection(
        [("reject", "Reject the login"), ("walled_garden", "Walled garden")],
        string="Suspended Users",
        required=True,
        default="reject",
        help="Reject: a suspended customer cannot log in. Walled garden: they log in "
        "into an address pool or address list that only reaches the payment page.",
    )
    reject_message = fields.Char(
        default="Service suspended", help="Reply-Message of a rejected suspended user."
    )
    walled_garden_pool = fields.Char(help="Framed-Pool given to suspended users (walled garden).")
    walled_garden_address_list = fields.Char(
        default="isp-suspended", help="Mikrotik-Address-List given to suspended users (walled garden)."
    )
    group_active = fields.Char(string="Active Group", required=True, default="isp_active")
    group_fair_usage = fields.Char(string="Fair-Usage Group", required=True, default="isp_fair_usage")
    group_suspended = fields.Char(string="Suspended Group", required=True, default="isp_suspended")
    simultaneous_use = fields.Integer(default=1, help="Sessions a user may have at once. 0: no limit.")
    coa_timeout = fields.Integer(string="CoA Timeout (s)", default=3)
    coa_retries = fields.Integer(string="CoA Retries", default=2)
    session_timeout = fields.Integer(
        string="Session Silence (min)",
        default=15,
        help="An open session with no accounting update for this long is taken as offline.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Timezone",
        default=lambda self: self.env.user.tz or "UTC",
        required=True,
        help="Usage is counted on the day of this timezone when the accounting update arrived.",
    )
    nas_ids = fields.One2many("isp.nas", "radius_server_id", string="NAS Devices")
    accounting_watermark = fields.Datetime(readonly=True, copy=False)
    accounting_read_at = fields.Datetime(readonly=True, copy=False)
    accounting_rows = fields.Integer(string="Rows Read Last Time", readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)

    @api.constrains("suspended_mode", "walled_garden_pool", "walled_garden_address_list")
    def _check_walled_garden(self):
        for server in self:
            try:
                server._group_rows()
            except ValueError as error:
                raise UserError(
                    self.env._("%(server)s: %(error)s", server=server.name, error=error)
                ) from error

    # -- connection --------------------------------------------------------

    @contextmanager
    def _cursor(self):
        """A cursor on the RADIUS database; its transaction commits when the block ends."""
        self.ensure_one()
        try:
            connection = psycopg2.connect(
                host=self.db_host,
                port=self.db_port,
                dbname=self.db_name,
                user=self.db_user,
                password=self.sudo().db_password or None,
                sslmode=self.db_sslmode,
                connect_timeout=self.connect_timeout or 5,
                application_name="odoo-isp",
            )
        except psycopg2.OperationalError as error:
            raise UserError(
                self.env._(
                    "Cannot reach the RADIUS database %(server)s: %(error)s", server=self.name, error=error
                )
            ) from error
        try:
            with connection, connection.cursor() as cursor:
                yield cursor
        finally:
            connection.close()

    def action_test_connection(self):
        self.ensure_one()
        with self._cursor() as cursor:
            cursor.execute("SELECT count(*) FROM radcheck")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": "success", "message": self.env._("Connected to %s.", self.name)},
        }

    def action_prepare_database(self):
        """Install the change tracking of radacct and write the groups and NAS rows."""
        for server in self:
            with server._cursor() as cursor:
                cursor.execute(TRACKING_DDL)
            server._sync_config()

    # -- groups and NAS ----------------------------------------------------

    def _groups(self):
        return attributes.Groups(self.group_active, self.group_fair_usage, self.group_suspended)

    def _group_rows(self):
        return attributes.group_rows(
            self.suspended_mode,
            self._groups(),
            walled_garden_pool=self.walled_garden_pool,
            walled_garden_address_list=self.walled_garden_address_list,
            reject_message=self.reject_message or "",
        )

    def _write_groups(self, cursor):
        for group, (check, reply) in self._group_rows().items():
            for table, rows in (("radgroupcheck", check), ("radgroupreply", reply)):
                cursor.execute(
                    pgsql.SQL("SELECT attribute, op, value FROM {} WHERE groupname = %s").format(
                        pgsql.Identifier(table)
                    ),
                    [group],
                )
                stale, missing = attributes.changes(cursor.fetchall(), rows)
                self._delete_rows(cursor, table, "groupname", group, stale)
                self._insert_rows(cursor, table, "groupname", group, missing)

    def _write_nas(self, cursor):
        """The nas table's rows made by Odoo (``description`` ``odoo:<id>``) match the NAS records."""
        wanted = {
            f"{NAS_TAG}{nas.id}": (nas.ip_address, (nas.name or "")[:32], "other", nas.radius_secret or "")
            for nas in self.sudo().with_context(active_test=True).nas_ids
            if nas.radius_secret
        }
        cursor.execute(
            "SELECT description, nasname, shortname, type, secret FROM nas WHERE description LIKE 'odoo:%%'"
        )
        current = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
        for tag in current.keys() - wanted.keys():
            cursor.execute("DELETE FROM nas WHERE description = %s", [tag])
        for tag, row in wanted.items():
            if current.get(tag) == row:
                continue
            cursor.execute("DELETE FROM nas WHERE description = %s OR nasname = %s", [tag, row[0]])
            cursor.execute(
                "INSERT INTO nas (nasname, shortname, type, secret, description) VALUES (%s, %s, %s, %s, %s)",
                [*row, tag],
            )

    def write(self, vals):
        result = super().write(vals)
        if GROUP_FIELDS & set(vals):
            self._request_sync()
        return result

    def _request_sync(self):
        """Rewrite the groups and NAS rows after this transaction commits."""
        for server in self:
            server.with_delay(
                identity_key=identity_exact,
                description=self.env._("Update the groups and NAS rows of %s", server.name),
            )._sync_config()

    def _sync_config(self):
        with self._cursor() as cursor:
            self._write_groups(cursor)
            self._write_nas(cursor)

    @api.model
    def _cron_sync_config(self):
        for server in self.search([("active", "=", True)]):
            server._sync_config()

    # -- users -------------------------------------------------------------

    @staticmethod
    def _delete_rows(cursor, table, key, name, rows):
        for attribute, op, value in rows:
            cursor.execute(
                pgsql.SQL(
                    "DELETE FROM {} WHERE {} = %s AND attribute = %s AND op = %s AND value = %s"
                ).format(pgsql.Identifier(table), pgsql.Identifier(key)),
                [name, attribute, op, value],
            )

    @staticmethod
    def _insert_rows(cursor, table, key, name, rows):
        for attribute, op, value in sorted(rows):
            cursor.execute(
                pgsql.SQL("INSERT INTO {} ({}, attribute, op, value) VALUES (%s, %s, %s, %s)").format(
                    pgsql.Identifier(table), pgsql.Identifier(key)
                ),
                [name, attribute, op, value],
            )

    def _desired_rows(self, subscription):
        return attributes.user_rows(
            subscription.network_state,
            subscription.pppoe_password,
            rate_limit=subscription.rate_limit,
            static_ip=subscription.static_ip,
            pool=subscription.product_id.radius_framed_pool,
            simultaneous_use=self.simultaneous_use,
            groups=self._groups(),
        )

    def _write_user(self, cursor, username, desired):
        """Make ``username``'s rows exactly ``desired``; True when its speed changed."""
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [username])
        speed_changed = False
        for table, part in USER_TABLES:
            cursor.execute(
                pgsql.SQL("SELECT attribute, op, value FROM {} WHERE username = %s").format(
                    pgsql.Identifier(table)
                ),
                [username],
            )
            current = cursor.fetchall()
            if part == "reply":
                speed_changed = attributes.reply_changed(current, desired.reply)
            stale, missing = attributes.changes(current, getattr(desired, part))
            self._delete_rows(cursor, table, "username", username, stale)
            self._insert_rows(cursor, table, "username", username, missing)
        cursor.execute("SELECT groupname, priority FROM radusergroup WHERE username = %s", [username])
        stale, missing = attributes.changes(cursor.fetchall(), desired.groups)
        for group, priority in stale:
            cursor.execute(
                "DELETE FROM radusergroup WHERE username = %s AND groupname = %s AND priority = %s",
                [username, group, priority],
            )
        for group, priority in missing:
            cursor.execute(
                "INSERT INTO radusergroup (username, groupname, priority) VALUES (%s, %s, %s)",
                [username, group, priority],
            )
        return speed_changed

    def _apply_subscription(self, subscription):
        """Provision one subscription (idempotent, repairs drift), then act on its live sessions."""
        self.ensure_one()
        desired = self._desired_rows(subscription)
        username = subscription.pppoe_username
        if desired and not username:
            raise UserError(self.env._("Subscription %s has no PPPoE username.", subscription.display_name))
        previous = subscription.radius_username
        with self._cursor() as cursor:
            if previous and previous != username:
                self._write_user(cursor, previous, attributes.UserRows())
            speed_changed = self._write_user(cursor, username, desired) if username else False
        if subscription.radius_username != (username if desired else False):
            subscription.radius_username = username if desired else False
        sessions = self.env["isp.radius.session"].search(
            [
                ("server_id", "=", self.id),
                ("username", "in", [u for u in (previous, username) if u]),
                ("open", "=", True),
            ]
        )
        if not sessions:
            return
        if subscription.network_state in ("suspended", "terminated", "none"):
            sessions._disconnect(subscription)
        elif speed_changed:
            sessions._change_rate(subscription)

    # -- accounting --------------------------------------------------------

    @api.model
    def _cron_read_accounting(self):
        for server in self.search([("active", "=", True)]):
            try:
                server._read_accounting(commit=True)
            except Exception as error:
                self.env.cr.rollback()
                _logger.warning("Reading the accounting of %s failed: %s", server.name, error)
                server.last_error = str(error)
                self.env.cr.commit()  # pylint: disable=invalid-commit

    def _read_accounting(self, commit=False, batch_size=ACCOUNTING_BATCH):
        """Read what changed in radacct since the watermark and add it as daily usage.

        Each batch, its usage, its sessions' counters and the watermark are written
        in one transaction (``commit``: committed batch by batch, as the scheduled
        action does), so a killed run resumes without counting anything twice.
        """
        self.ensure_one()
        since = (self.accounting_watermark or fields.Datetime.to_datetime("1970-01-01")) - ACCOUNTING_OVERLAP
        after_id = 0
        total = 0
        Session = self.env["isp.radius.session"]
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_attribute WHERE attrelid = 'radacct'::regclass AND attname = 'isp_changed_at'"
            )
            if not cursor.fetchone():
                cursor.execute(TRACKING_DDL)
                cursor.connection.commit()
            while True:
                buffer = io.StringIO()
                query = cursor.mogrify(
                    ACCOUNTING_QUERY, {"tz": self.tz, "since": since, "after": after_id, "limit": batch_size}
                )
                cursor.copy_expert(query.decode(), buffer)
                buffer.seek(0)
                count, last = Session._ingest(self, buffer)
                if not count:
                    break
                total += count
                since, after_id = last
                self.write(
                    {
                        "accounting_watermark": max(self.accounting_watermark or since, since),
                        "accounting_read_at": fields.Datetime.now(),
                        "accounting_rows": total,
                        "last_error": False,
                    }
                )
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                if count < batch_size:
                    break
        self.env["isp.radius.session"]._update_online(self)
        if not total:
            self.write(
                {"accounting_read_at": fields.Datetime.now(), "accounting_rows": 0, "last_error": False}
            )
        return total
