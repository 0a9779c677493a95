# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import csv
import io
import logging
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from datetime import timedelta

import psycopg2
from psycopg2 import errors as pgerrors
from psycopg2 import sql as pgsql

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.base.models.res_partner import _tz_get
from odoo.addons.isp_base.models.isp_nas import SECRET_GROUP
from odoo.addons.queue_job.job import identity_exact

from ..lib import attributes, coa
from ..lib.copy_stream import CopyStream, last_key
from .isp_radius_session import ACCOUNTING_WORK_MEM
from .nas_journal import NasJournal, NasNotConfirmed, Target

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "isp_base.group_isp_manager"
# Rows of radacct read per batch; each batch is one transaction on both databases.
ACCOUNTING_BATCH = 100000
# Parts of the accounting read and written at once by default, and at most (accounting_lanes).
ACCOUNTING_LANES = 2
MAX_ACCOUNTING_LANES = 16
# Changes older than the watermark by less than this are read again: a row updated by a
# statement that committed late is not missed, and reading one twice counts nothing.
ACCOUNTING_OVERLAP = timedelta(minutes=5)
NAS_TAG = "odoo:"
# Subscriptions compared per transaction by the daily drift repair.
USER_SYNC_BATCH = 2000
# Advisory lock (PostgreSQL's two-key form, apart from the one-key locks taken per user name):
# a provisioning job holds it shared while it writes a user, the drift repair exclusively
# while it repairs a batch, so the repair never writes back a state older than a job's.
USERS_LOCK = (7361, 1)

# Installed once in each RADIUS database: radacct rows carry the time they last
# changed on the database's own clock (Debian's queries set AcctUpdateTime from the
# NAS's Event-Timestamp, which can be late or wrong), indexed for incremental reads,
# and the open sessions are indexed by user for the CoA and Disconnect requests.
# isp_radius/data/radius_database.sql holds the same statements for a database
# administrator to run once, when Odoo's database user does not own radacct.
TRACKING_DDL = """
ALTER TABLE radacct ADD COLUMN IF NOT EXISTS isp_changed_at timestamptz NOT NULL DEFAULT clock_timestamp();
CREATE INDEX IF NOT EXISTS radacct_isp_changed_idx ON radacct (isp_changed_at, radacctid);
CREATE INDEX IF NOT EXISTS radacct_isp_open_user_idx ON radacct (username) WHERE acctstoptime IS NULL;
CREATE OR REPLACE FUNCTION isp_radacct_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.isp_changed_at := clock_timestamp();
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS isp_radacct_touch ON radacct;
CREATE TRIGGER isp_radacct_touch BEFORE UPDATE ON radacct FOR EACH ROW EXECUTE FUNCTION isp_radacct_touch();
"""

# True when every part of TRACKING_DDL is there.
TRACKING_INSTALLED = """
SELECT EXISTS (SELECT 1 FROM pg_attribute
                WHERE attrelid = 'radacct'::regclass AND attname = 'isp_changed_at' AND NOT attisdropped)
   AND EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = 'radacct'::regclass
                  AND c.relname IN ('radacct_isp_changed_idx', 'radacct_isp_open_user_idx')
               HAVING count(*) = 2)
   AND EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'radacct'::regclass AND tgname = 'isp_radacct_touch')
"""

# What Odoo's database user does in the RADIUS database, checked by Test Connection
# (and listed in the readme and in isp_radius/data/radius_database.sql).
TABLE_PRIVILEGES = {
    "radcheck": ("SELECT", "INSERT", "DELETE"),
    "radreply": ("SELECT", "INSERT", "DELETE"),
    "radusergroup": ("SELECT", "INSERT", "DELETE"),
    "radgroupcheck": ("SELECT", "INSERT", "DELETE"),
    "radgroupreply": ("SELECT", "INSERT", "DELETE"),
    "nas": ("SELECT", "INSERT", "DELETE"),
    "radacct": ("SELECT",),
}
# Rows of radpostauth looked at by Test Connection for stored passwords.
POSTAUTH_SAMPLE = 1000

# What changed since (changed_at, radacctid), in the column order and types of isp_radacct_batch,
# for the user names of one lane of the read (all of them with one lane: the test is folded away).
# Binary: half the time of text to write and read (no dates or numbers printed and parsed);
# each column is cast to its type, so a radacct with other integer or text types still fits.
ACCOUNTING_QUERY = """
COPY (
    SELECT acctuniqueid::text, acctsessionid::text, username::text, host(nasipaddress), host(framedipaddress),
           (acctstarttime AT TIME ZONE 'UTC')::timestamp,
           (COALESCE(acctstoptime, acctupdatetime, acctstarttime) AT TIME ZONE 'UTC')::timestamp,
           acctstoptime IS NOT NULL,
           COALESCE(acctsessiontime, 0)::bigint, COALESCE(acctinputoctets, 0)::float8,
           COALESCE(acctoutputoctets, 0)::float8,
           (isp_changed_at AT TIME ZONE %(tz)s)::date,
           (isp_changed_at AT TIME ZONE 'UTC')::timestamp,
           radacctid::bigint
      FROM radacct
     WHERE (isp_changed_at, radacctid) > (%(since)s AT TIME ZONE 'UTC', %(after)s)
       AND (%(lanes)s = 1 OR (hashtext(COALESCE(username, '')) & 2147483647) %% %(lanes)s = %(lane)s)
     ORDER BY isp_changed_at, radacctid
     LIMIT %(limit)s
) TO STDOUT WITH (FORMAT binary)
"""

# The live sessions of some users: open ones, and those Odoo still thinks open.
LIVE_SESSIONS_QUERY = """
SELECT acctuniqueid, acctsessionid, username, host(nasipaddress), COALESCE(acctsessiontime, 0),
       acctstarttime AT TIME ZONE 'UTC', acctstoptime IS NULL
  FROM radacct
 WHERE username = ANY(%(usernames)s) AND (acctstoptime IS NULL OR acctuniqueid = ANY(%(known)s))
"""

# Server settings that change the rows of radgroupcheck/radgroupreply.
GROUP_FIELDS = {
    "suspended_mode",
    "reject_message",
    "walled_garden_pool",
    "walled_garden_address_list",
    "active_address_list",
    "group_active",
    "group_fair_usage",
    "group_suspended",
}

USER_TABLES = (("radcheck", "check"), ("radreply", "reply"))

# Drift repair, one batch: the rows wanted for the users Odoo manages are in temporary
# tables (isp_want_check/reply/group, isp_managed); these statements make the real
# tables hold exactly them, each returning the user names it touched.
REPAIR_TEMP_TABLES = """
CREATE TEMP TABLE isp_managed (username text PRIMARY KEY) ON COMMIT DROP;
CREATE TEMP TABLE isp_want_check (username text, attribute text, op text, value text) ON COMMIT DROP;
CREATE TEMP TABLE isp_want_reply (username text, attribute text, op text, value text) ON COMMIT DROP;
CREATE TEMP TABLE isp_want_group (username text, groupname text, priority integer) ON COMMIT DROP;
"""
REPAIR_ATTRIBUTE_ROWS = {
    # The second of two identical rows (the first is kept).
    "duplicates": """
        DELETE FROM {table} r USING isp_managed m
         WHERE r.username = m.username
           AND EXISTS (SELECT 1 FROM {table} d
                        WHERE d.username = r.username AND d.attribute = r.attribute
                          AND d.op = r.op AND d.value = r.value AND d.id < r.id)
        RETURNING r.username
    """,
    "stale": """
        DELETE FROM {table} r USING isp_managed m
         WHERE r.username = m.username
           AND NOT EXISTS (SELECT 1 FROM {want} w
                            WHERE w.username = r.username AND w.attribute = r.attribute
                              AND w.op = r.op AND w.value = r.value)
        RETURNING r.username
    """,
    "missing": """
        INSERT INTO {table} (username, attribute, op, value)
        SELECT w.username, w.attribute, w.op, w.value FROM {want} w
         WHERE NOT EXISTS (SELECT 1 FROM {table} r
                            WHERE r.username = w.username AND r.attribute = w.attribute
                              AND r.op = w.op AND r.value = w.value)
         ORDER BY w.username, w.attribute
        RETURNING username
    """,
}
REPAIR_GROUP_ROWS = {
    "duplicates": """
        DELETE FROM radusergroup r USING isp_managed m
         WHERE r.username = m.username
           AND EXISTS (SELECT 1 FROM radusergroup d
                        WHERE d.username = r.username AND d.groupname = r.groupname
                          AND d.priority = r.priority AND d.id < r.id)
        RETURNING r.username
    """,
    "stale": """
        DELETE FROM radusergroup r USING isp_managed m
         WHERE r.username = m.username
           AND NOT EXISTS (SELECT 1 FROM isp_want_group w
                            WHERE w.username = r.username AND w.groupname = r.groupname
                              AND w.priority = r.priority)
        RETURNING r.username
    """,
    "missing": """
        INSERT INTO radusergroup (username, groupname, priority)
        SELECT w.username, w.groupname, w.priority FROM isp_want_group w
         WHERE NOT EXISTS (SELECT 1 FROM radusergroup r
                            WHERE r.username = w.username AND r.groupname = w.groupname
                              AND r.priority = w.priority)
         ORDER BY w.username
        RETURNING username
    """,
}


def _error_text(error):
    """PostgreSQL's message for ``error``, without its ERROR: prefix and context lines."""
    diag = getattr(error, "diag", None)
    return ((diag and diag.message_primary) or str(error)).strip()


class AccountingLane:
    """One part of an accounting read: the radacct rows of the user names whose hash falls in it,
    read a batch ahead on its own connection to the RADIUS database (``cursor``) by the
    ``reader`` pool, which touches no ORM. :attr:`key` is the last row's ``(changed_at,
    radacctid)``; :attr:`done`: the part found no more rows; :attr:`counted_to`: every row of
    the part up to this key is counted once its batch is committed (the last row's key, or
    once done, the RADIUS database's time when the part last looked: a part done early, or
    with no rows at all, does not hold the watermark back)."""

    def __init__(self, cursor, reader, lane, lanes, limit, tz, since):
        self.cursor = cursor
        self.reader = reader
        self.params = {"tz": tz, "lane": lane, "lanes": lanes, "limit": limit}
        self.limit = limit
        self.key = self.counted_to = (since, 0)
        self.done = False
        self._start()

    def _copy_out(self, stream, since, after_id):
        query = self.cursor.mogrify(ACCOUNTING_QUERY, {**self.params, "since": since, "after": after_id})
        try:
            # Before the copy's snapshot: every row changed until then and committed is in it.
            self.cursor.execute("SELECT clock_timestamp() AT TIME ZONE 'UTC'")
            looked_at = self.cursor.fetchone()[0]
            self.cursor.copy_expert(query.decode(), stream)
        except BaseException as error:
            stream.close(error)
            raise
        stream.close()
        return self.cursor.rowcount, looked_at

    def _start(self):
        self.stream = CopyStream()
        self.copied = self.reader.submit(self._copy_out, self.stream, *self.key)

    def write_batch(self, Session, server):
        """Load the batch into ``Session``'s transaction as it is read, start reading the next one,
        and turn this one into usage (:meth:`isp.radius.session._ingest`). Returns the rows read
        and the sessions that were new."""
        try:
            Session._load_batch(self.stream)
        except Exception:
            self.copied.result()  # the RADIUS database's error first, when it stopped the copy
            raise
        count, looked_at = self.copied.result()
        if count:
            self.key = last_key(self.stream.tail)
        self.done = count < self.limit
        self.counted_to = max(self.key, (looked_at, 0)) if self.done else self.key
        if not self.done:
            self._start()
        return count, Session._ingest(server) if count else 0


class UserWrite:
    """What writing one user found: its groups before, and whether its speed changed."""

    def __init__(self, groups_before=(), speed_changed=False):
        self.groups_before = groups_before
        self.speed_changed = speed_changed


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
    statement_timeout = fields.Integer(
        string="Query Timeout (s)",
        default=30,
        help="A query on the RADIUS database that runs longer is cancelled, and its job retried later.",
    )
    lock_timeout = fields.Integer(
        string="Lock Timeout (s)",
        default=5,
        help="Waiting longer for a row or table another session holds cancels the query, and its "
        "job is retried later, so that no job hangs on a lock.",
    )
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
    walled_garden_release = fields.Selection(
        [("disconnect", "Disconnect the session"), ("coa", "CoA: speed and address list")],
        string="On Reconnection",
        required=True,
        default="disconnect",
        help="What a reconnected customer's session, opened in the walled garden, gets. Disconnect: "
        "the session ends and the customer's router dials again at once, as a paying user (works "
        "with every NAS, needed with a walled-garden pool). CoA: the session goes on with the "
        "plan's speed and the paying users' address list (a NAS that changes the address list "
        "by CoA, and a walled garden by address list only).",
    )
    active_address_list = fields.Char(
        string="Paying Users' Address List",
        help="Mikrotik-Address-List given to active and fair-usage users; needed to take a "
        "session out of the walled garden by CoA.",
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
    accounting_lanes = fields.Integer(
        string="Parallel Reads",
        default=ACCOUNTING_LANES,
        help="The scheduled accounting read splits the sessions by user name into this many parts, "
        "read and written at once, each in its own transaction: up to the number of cores of "
        "Odoo's database server. 1: one at a time.",
    )
    accounting_watermark = fields.Datetime(readonly=True, copy=False)
    accounting_read_at = fields.Datetime(readonly=True, copy=False)
    accounting_rows = fields.Integer(string="Rows Read Last Time", readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)
    drift_checked_at = fields.Datetime(
        string="Last Drift Repair", readonly=True, copy=False, help="When the daily drift repair last ran."
    )
    drift_users = fields.Integer(
        string="Users Compared", readonly=True, copy=False, help="Users Odoo manages in this database."
    )
    drift_users_repaired = fields.Integer(
        string="Users Repaired",
        readonly=True,
        copy=False,
        help="Users whose radcheck, radreply or radusergroup rows the last drift repair changed.",
    )
    drift_rows_repaired = fields.Integer(
        string="Rows Repaired",
        readonly=True,
        copy=False,
        help="Rows the last drift repair added, removed (edited by hand, left over) or removed "
        "as exact duplicates.",
    )
    drift_message = fields.Char(string="Drift Repair Result", readonly=True, copy=False)

    @api.constrains(
        "suspended_mode",
        "walled_garden_pool",
        "walled_garden_address_list",
        "walled_garden_release",
        "active_address_list",
    )
    def _check_walled_garden(self):
        for server in self:
            try:
                server._group_rows()
            except ValueError as error:
                raise UserError(
                    self.env._("%(server)s: %(error)s", server=server.name, error=error)
                ) from error
            if server.suspended_mode == "walled_garden" and server.walled_garden_release == "coa":
                if server.walled_garden_pool:
                    raise UserError(
                        self.env._(
                            "%s: a CoA cannot change a session's address, so a walled garden with an "
                            "address pool needs a Disconnect on reconnection.",
                            server.name,
                        )
                    )
                if not server.active_address_list:
                    raise UserError(
                        self.env._(
                            "%s: to take a session out of the walled garden by CoA, give the paying "
                            "users' address list (a RADIUS attribute cannot be sent empty).",
                            server.name,
                        )
                    )

    @api.constrains("accounting_lanes")
    def _check_accounting_lanes(self):
        for server in self:
            if not 1 <= server.accounting_lanes <= MAX_ACCOUNTING_LANES:
                raise ValidationError(
                    self.env._(
                        "%(server)s: the parallel reads go from 1 to %(max)s.",
                        server=server.name,
                        max=MAX_ACCOUNTING_LANES,
                    )
                )

    # -- connection --------------------------------------------------------

    @contextmanager
    def _cursor(self, statement_timeout=None, lock_timeout=None):
        """A cursor on the RADIUS database; its transaction commits when the block ends.

        Each query is limited to the server's query and lock timeouts (``0``: none), so that a
        job never hangs on a lock. Errors of the RADIUS database become a clear UserError.
        """
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
        statement_timeout = self.statement_timeout if statement_timeout is None else statement_timeout
        lock_timeout = self.lock_timeout if lock_timeout is None else lock_timeout
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false)",
                    [f"{max(statement_timeout or 0, 0)}s", f"{max(lock_timeout or 0, 0)}s"],
                )
            connection.autocommit = False
            with connection, connection.cursor() as cursor:
                yield cursor
        except psycopg2.Error as error:
            if getattr(error, "cursor", None) is not None and error.cursor.connection is not connection:
                raise  # an error of Odoo's own database, inside the block
            raise self._database_error(error, statement_timeout, lock_timeout) from error
        finally:
            connection.close()

    def _database_error(self, error, statement_timeout, lock_timeout):
        """A clear message for an error of the RADIUS database."""
        detail = _error_text(error)
        if isinstance(error, pgerrors.InsufficientPrivilege):
            return UserError(
                self.env._(
                    "The RADIUS database user %(user)s lacks a privilege on %(server)s: %(error)s\n"
                    "Grant the privileges listed in the FreeRADIUS addon's configuration notes, or "
                    "have the database administrator run isp_radius/data/radius_database.sql once.",
                    user=self.db_user,
                    server=self.name,
                    error=detail,
                )
            )
        if isinstance(error, pgerrors.LockNotAvailable):
            return UserError(
                self.env._(
                    "The RADIUS database %(server)s: another session held a lock for more than "
                    "%(seconds)s s (lock timeout); tried again later.",
                    server=self.name,
                    seconds=lock_timeout,
                )
            )
        if isinstance(error, pgerrors.QueryCanceled):
            return UserError(
                self.env._(
                    "The RADIUS database %(server)s did not answer within %(seconds)s s (query timeout); "
                    "tried again later.",
                    server=self.name,
                    seconds=statement_timeout,
                )
            )
        return UserError(
            self.env._("The RADIUS database %(server)s: %(error)s", server=self.name, error=detail)
        )

    def _check_manager(self):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                self.env._(
                    "Only ISP managers may prepare a RADIUS database or test its connection (%s is not one).",
                    self.env.user.name,
                )
            )
        self.check_access("write")

    @staticmethod
    def _notification(kind, title, message):
        """A notification the web client shows; every value can travel over XML-RPC."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": kind, "title": title, "message": message, "sticky": kind != "success"},
        }

    def action_test_connection(self):
        """Connect and check what Odoo needs (ISP Manager): privileges, the change tracking of
        radacct, and that radpostauth does not store passwords."""
        self._check_manager()
        self.ensure_one()
        warnings = self._connection_warnings()
        if not warnings:
            return self._notification(
                "success",
                self.env._("RADIUS database"),
                self.env._("Connected to %s: everything Odoo needs is there.", self.name),
            )
        return self._notification(
            "warning",
            self.env._("Connected to %s, but:", self.name),
            "\n".join(f"• {warning}" for warning in warnings),
        )

    def _connection_warnings(self):
        warnings = []
        with self._cursor() as cursor:
            tables, privileges = zip(
                *[(table, privilege) for table, privs in TABLE_PRIVILEGES.items() for privilege in privs],
                strict=True,
            )
            cursor.execute(
                """
                SELECT t, p, CASE WHEN to_regclass(t) IS NULL THEN NULL ELSE has_table_privilege(t, p) END
                  FROM unnest(%s::text[], %s::text[]) AS x(t, p)
                """,
                [list(tables), list(privileges)],
            )
            missing_tables, missing = set(), {}
            for table, privilege, granted in cursor.fetchall():
                if granted is None:
                    missing_tables.add(table)
                elif not granted:
                    missing.setdefault(table, []).append(privilege)
            cursor.execute(
                """
                SELECT t FROM unnest(%s::text[]) AS t
                 WHERE to_regclass(t) IS NOT NULL AND pg_get_serial_sequence(t, 'id') IS NOT NULL
                   AND NOT has_sequence_privilege(pg_get_serial_sequence(t, 'id'), 'USAGE')
                """,
                [[t for t, privs in TABLE_PRIVILEGES.items() if "INSERT" in privs]],
            )
            for (table,) in cursor.fetchall():
                missing.setdefault(table, []).append(self.env._("USAGE of its id sequence"))
            cursor.execute("SELECT has_database_privilege(current_database(), 'TEMPORARY')")
            if not cursor.fetchone()[0]:
                warnings.append(
                    self.env._(
                        "%s may not create temporary tables (TEMPORARY on the database): the daily "
                        "drift repair needs them.",
                        self.db_user,
                    )
                )
            if missing_tables:
                warnings.append(
                    self.env._(
                        "These tables are missing: %s. Load FreeRADIUS's PostgreSQL schema.",
                        ", ".join(sorted(missing_tables)),
                    )
                )
            if missing:
                warnings.append(
                    self.env._(
                        "%(user)s lacks these privileges: %(privileges)s.",
                        user=self.db_user,
                        privileges="; ".join(
                            f"{table}: {', '.join(privs)}" for table, privs in sorted(missing.items())
                        ),
                    )
                )
            if "radacct" not in missing_tables and not self._tracking_installed(cursor):
                warnings.append(
                    self.env._("radacct is not prepared yet: press Prepare Database (or run the script).")
                )
            stored = self._postauth_passwords(cursor)
            if stored:
                warnings.append(
                    self.env._(
                        "radpostauth stores the password typed in %(count)s of its last %(sample)s "
                        "logins, the wrong ones too (FreeRADIUS's default post-auth query). In "
                        "mods-config/sql/main/postgresql/queries.conf, replace "
                        "'%%{%%{User-Password}:-%%{Chap-Password}}' with '' and empty the pass column.",
                        count=stored,
                        sample=POSTAUTH_SAMPLE,
                    )
                )
        return warnings

    @staticmethod
    def _postauth_passwords(cursor):
        """How many of the latest radpostauth rows hold a password (0 when it cannot be read)."""
        cursor.execute(
            "SELECT to_regclass('radpostauth') IS NOT NULL AND has_table_privilege('radpostauth', 'SELECT')"
        )
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(
            "SELECT count(*) FROM (SELECT pass FROM radpostauth ORDER BY id DESC LIMIT %s) AS latest "
            "WHERE COALESCE(pass, '') <> ''",
            [POSTAUTH_SAMPLE],
        )
        return cursor.fetchone()[0]

    @staticmethod
    def _tracking_installed(cursor):
        cursor.execute(TRACKING_INSTALLED)
        return cursor.fetchone()[0]

    def action_prepare_database(self):
        """Install the change tracking of radacct and write the groups and NAS rows (ISP Manager)."""
        self._check_manager()
        self._prepare_database()
        return self._notification(
            "success",
            self.env._("RADIUS database"),
            self.env._("Prepared: %s.", ", ".join(self.mapped("name"))),
        )

    def _prepare_database(self):
        for server in self:
            # No query timeout: adding the column rewrites radacct once, which takes a while.
            with server._cursor(statement_timeout=0) as cursor:
                if not server._tracking_installed(cursor):
                    try:
                        with cursor.connection.cursor() as ddl:
                            ddl.execute(TRACKING_DDL)
                    except pgerrors.InsufficientPrivilege as error:
                        raise UserError(
                            self.env._(
                                "%(user)s may not change radacct on %(server)s: Prepare Database adds a "
                                "column, two indexes and a trigger to radacct, which only its owner may "
                                "do. Make %(user)s the owner of radacct, or have the database "
                                "administrator run isp_radius/data/radius_database.sql once, then press "
                                "Prepare Database again.\n(%(error)s)",
                                user=server.db_user,
                                server=server.name,
                                error=_error_text(error),
                            )
                        ) from error
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
            active_address_list=self.active_address_list,
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
    def _cron_sync_config(self, commit=True):
        """Daily: the groups, the NAS rows and every user's rows (drift repair) of each server.
        ``commit``: commit batch by batch, and record a failing server instead of stopping."""
        for server in self.search([("active", "=", True)]):
            if not commit:
                server._sync_config()
                server._sync_users()
                continue
            try:
                server._sync_config()
                server._sync_users(commit=True)
            except Exception as error:
                self.env.cr.rollback()
                _logger.warning("The daily sync of the RADIUS database %s failed: %s", server.name, error)
                server.write({"drift_message": str(error)[:250], "drift_checked_at": fields.Datetime.now()})
            self.env.cr.commit()  # pylint: disable=invalid-commit

    # -- users: drift repair -----------------------------------------------

    def _sync_users(self, commit=False, batch_size=USER_SYNC_BATCH):
        """Make every managed user's radcheck, radreply and radusergroup rows what its
        subscription wants, set-based, a batch of subscriptions per transaction.

        Managed users are the subscriptions' current users and those last written (a
        renamed or terminated one loses its rows); other rows (the operator's own users, a
        user named like a draft) are left alone. Rows edited by hand, missing, left over or
        duplicated are repaired; the counts go on the server record and in the log. A
        repaired user whose subscription is cut off is provisioned again, which disconnects
        a session it may have opened meanwhile.
        ``commit``: Odoo's transaction is committed once the batch's lock is held, so that the
        batch reads the subscriptions as the provisioning jobs that ran before it left them.
        """
        self.ensure_one()
        Subscription = self.env["isp.subscription"].sudo().with_context(active_test=False)
        ids = Subscription.search(
            [
                ("company_id", "=", self.company_id.id),
                "|",
                ("state", "in", ("active", "suspended")),
                ("radius_username", "!=", False),
            ],
            order="id",
        ).ids
        users = repaired_users = rows = 0
        examples = []
        for start in range(0, len(ids), batch_size):
            with self._cursor(lock_timeout=max(self.lock_timeout, 60)) as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", USERS_LOCK)
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
                subscriptions = Subscription.browse(ids[start : start + batch_size])
                wanted, managed, names = self._wanted_users(subscriptions)
                touched, count = self._repair_users(cursor, wanted, managed)
            users += len(managed)
            repaired_users += len(touched)
            rows += count
            examples += sorted(touched)[: 10 - len(examples)]
            # A user that could log in (or stay online) while cut off: its job disconnects it.
            cut = subscriptions.filtered(
                lambda s, touched=touched: s.network_state in ("suspended", "terminated")
                and {s.pppoe_username, s.radius_username} & touched
            )
            for subscription, name in names.items():
                subscription._set_radius_username(name)
            self.env["isp.provisioning"]._request(cut)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
            subscriptions.invalidate_recordset()
        message = self.env._(
            "%(users)s users compared, %(repaired)s repaired (%(rows)s rows).",
            users=users,
            repaired=repaired_users,
            rows=rows,
        )
        _logger.info(
            "RADIUS drift repair on %s: %s users, %s repaired (%s rows)%s",
            self.name,
            users,
            repaired_users,
            rows,
            f", e.g. {', '.join(examples)}" if examples else "",
        )
        self.write(
            {
                "drift_checked_at": fields.Datetime.now(),
                "drift_users": users,
                "drift_users_repaired": repaired_users,
                "drift_rows_repaired": rows,
                "drift_message": message,
            }
        )
        return {"users": users, "repaired": repaired_users, "rows": rows}

    def _wanted_users(self, subscriptions):
        """``(rows, managed user names, {subscription: new radius_username})`` for a batch."""
        wanted = {"check": [], "reply": [], "group": []}
        managed = set()
        names = {}
        for subscription in subscriptions:
            username = subscription.pppoe_username
            if subscription.radius_username:
                managed.add(subscription.radius_username)
            try:
                desired = self._desired_rows(subscription)
            except ValueError as error:
                # Leave its rows as they are: its provisioning job reports the problem.
                _logger.warning("Drift repair skips %s: %s", subscription.display_name, error)
                managed.discard(username)
                continue
            if desired and username:
                managed.add(username)
                for part in ("check", "reply"):
                    wanted[part] += [(username, *row) for row in getattr(desired, part)]
                wanted["group"] += [(username, *row) for row in desired.groups]
            name = username if desired and username else False
            if subscription.radius_username != name:
                names[subscription] = name
        return wanted, managed, names

    @staticmethod
    def _copy_rows(cursor, table, rows):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        buffer.seek(0)
        cursor.copy_expert(f"COPY {table} FROM STDIN WITH (FORMAT csv)", buffer)

    def _repair_users(self, cursor, wanted, managed):
        """Repair the managed users' rows in three statements per table; returns the user
        names touched and the number of rows deleted or inserted."""
        cursor.execute(REPAIR_TEMP_TABLES)
        self._copy_rows(cursor, "isp_managed", [(name,) for name in managed])
        for part in ("check", "reply", "group"):
            self._copy_rows(cursor, f"isp_want_{part}", wanted[part])
        cursor.execute("ANALYZE isp_managed, isp_want_check, isp_want_reply, isp_want_group")
        touched = set()
        count = 0
        for table, part in USER_TABLES:
            for statement in REPAIR_ATTRIBUTE_ROWS.values():
                cursor.execute(statement.format(table=table, want=f"isp_want_{part}"))
                names = cursor.fetchall()
                count += len(names)
                touched.update(name for (name,) in names)
        for statement in REPAIR_GROUP_ROWS.values():
            cursor.execute(statement)
            names = cursor.fetchall()
            count += len(names)
            touched.update(name for (name,) in names)
        return touched, count

    # -- users: one subscription --------------------------------------------

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
        """Make ``username``'s rows exactly ``desired`` (a duplicate row counts as stale)."""
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
            stale |= {row for row in current if current.count(row) > 1} - missing
            self._delete_rows(cursor, table, "username", username, stale)
            self._insert_rows(cursor, table, "username", username, missing)
            # A duplicate of a wanted row was deleted with its twin: write it once.
            self._insert_rows(cursor, table, "username", username, stale & getattr(desired, part))
        cursor.execute("SELECT groupname, priority FROM radusergroup WHERE username = %s", [username])
        groups_before = cursor.fetchall()
        stale, missing = attributes.changes(groups_before, desired.groups)
        stale |= {row for row in groups_before if groups_before.count(row) > 1} - missing
        for group, priority in stale:
            cursor.execute(
                "DELETE FROM radusergroup WHERE username = %s AND groupname = %s AND priority = %s",
                [username, group, priority],
            )
        for group, priority in sorted(missing | (stale & desired.groups)):
            cursor.execute(
                "INSERT INTO radusergroup (username, groupname, priority) VALUES (%s, %s, %s)",
                [username, group, priority],
            )
        return UserWrite(groups_before, speed_changed)

    def _apply_subscription(self, subscription, journal=None):
        """Provision one subscription (idempotent, repairs drift), then act on its live sessions:
        Disconnect them when it is cut off, take them out of the walled garden when it is
        reconnected, send a CoA when its speed changed. What the NAS answers goes into
        ``journal`` (written at once when none is given)."""
        self.ensure_one()
        if journal is None:
            journal = NasJournal()
            try:
                return self._apply_subscription(subscription, journal)
            finally:
                journal.flush(self.env)
        desired = self._desired_rows(subscription)
        username = subscription.pppoe_username
        if desired and not username:
            raise UserError(self.env._("Subscription %s has no PPPoE username.", subscription.display_name))
        previous = subscription.radius_username
        usernames = list(dict.fromkeys(u for u in (previous, username) if u))
        known = self.env["isp.radius.session"].search(
            [("server_id", "=", self.id), ("username", "in", usernames), ("open", "=", True)]
        )
        written = UserWrite()
        with self._cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s, %s)", USERS_LOCK)
            if previous and previous != username:
                self._write_user(cursor, previous, attributes.UserRows())
            if username:
                written = self._write_user(cursor, username, desired)
            # Committed first: a session dialled from now on gets the new rows. Read after, the
            # live sessions include every one opened under the old rows.
            cursor.connection.commit()
            live = self._live_sessions(cursor, usernames, known) if usernames else []
        if subscription.radius_username != (username if desired else False):
            subscription._set_radius_username(username if desired else False)
        if not live:
            return
        failures = []
        if subscription.network_state in ("suspended", "terminated", "none"):
            failures += self._send(coa.DISCONNECT, live, subscription, journal)
        else:
            release = {s.unique_id for s in known if s.release_pending}
            if attributes.leaves_walled_garden(
                self.suspended_mode, self._groups(), written.groups_before, desired
            ):
                release |= {target.unique_id for target in live}
            releasing = [target for target in live if target.unique_id in release]
            others = [target for target in live if target.unique_id not in release]
            if releasing:
                for target in releasing:  # remembered until the NAS confirms
                    journal.session(self, subscription, target, release_pending=True)
                if self.walled_garden_release == "coa" and self.active_address_list:
                    extra = {
                        "Mikrotik-Rate-Limit": subscription.rate_limit,
                        "Mikrotik-Address-List": self.active_address_list,
                    }
                    failures += self._send(coa.COA, releasing, subscription, journal, extra, release=True)
                else:
                    failures += self._send(coa.DISCONNECT, releasing, subscription, journal, release=True)
            if others and written.speed_changed:
                extra = {"Mikrotik-Rate-Limit": subscription.rate_limit}
                failures += self._send(coa.COA, others, subscription, journal, extra)
        if failures:
            permanent = all(failure_permanent for _text, failure_permanent in failures)
            raise NasNotConfirmed(
                self.env._("The NAS did not confirm: %s", "; ".join(text for text, _p in failures)),
                permanent=permanent,
            )

    def _live_sessions(self, cursor, usernames, known):
        """The users' sessions that radacct has open, and those Odoo has open that radacct
        no longer has at all (a purged radacct)."""
        cursor.execute(LIVE_SESSIONS_QUERY, {"usernames": usernames, "known": known.mapped("unique_id")})
        live = []
        seen = set()
        for unique_id, acct_session_id, username, nas_ip, session_time, started_at, is_open in cursor:
            seen.add(unique_id)
            if is_open:
                live.append(Target(unique_id, acct_session_id, username, nas_ip, session_time, started_at))
        for session in known:
            if session.unique_id not in seen:
                live.append(
                    Target(
                        session.unique_id,
                        session.acct_session_id,
                        session.username,
                        session.nas_ip,
                        session.session_time,
                        session.started_at,
                    )
                )
        return live

    # -- CoA and Disconnect ------------------------------------------------

    def _nas_by_address(self, addresses):
        """The NAS record of each address, one of this server's company first."""
        found = {}
        nases = self.env["isp.nas"].sudo().search([("ip_address", "in", list(addresses))])
        for nas in nases.sorted(lambda n: (n.company_id != self.company_id, not n.radius_secret)):
            found.setdefault(nas.ip_address, nas)
        return found

    def _answer_text(self, result):
        if result.ok:
            return self.env._("acknowledged (ACK)")
        if not result.answered:
            return self.env._("no answer (%s)", result.message)
        return self.env._("refused (NAK): %s", result.error_cause or self.env._("no Error-Cause"))

    def _send(self, kind, targets, subscription, journal, extra=None, release=False):
        """Send ``kind`` for each session; log each answer in ``journal``. ``release``: the
        sessions leave the walled garden. Returns the failures, ``(text, permanent)``."""
        nases = self._nas_by_address({target.nas_ip for target in targets})
        if kind == coa.DISCONNECT:
            label = self.env._("Disconnect")
        elif release:
            label = self.env._("Change of authorization")
        else:
            label = self.env._("Change of speed")
        failures = []
        for target in targets:
            nas = nases.get(target.nas_ip)
            if not nas or not nas.radius_secret:
                text = self.env._(
                    "%(request)s not sent for session %(session)s of %(user)s: no NAS with a RADIUS "
                    "secret has the address %(address)s. Add that NAS (or correct its address and "
                    "secret) under ISP > Configuration > NAS, then retry provisioning.",
                    request=label,
                    session=target.acct_session_id or target.unique_id,
                    user=target.username,
                    address=target.nas_ip or "?",
                )
                journal.message(subscription, text)
                failures.append((text, True))
                continue
            result = coa.send(
                kind,
                target.nas_ip,
                nas.radius_secret,
                {"User-Name": target.username, "Acct-Session-Id": target.acct_session_id, **(extra or {})},
                port=nas.coa_port or coa.DEFAULT_PORT,
                timeout=self.coa_timeout or 3,
                retries=self.coa_retries,
            )
            answer = self._answer_text(result)
            journal.message(
                subscription,
                self.env._(
                    "%(request)s sent to %(nas)s for session %(session)s: %(answer)s",
                    request=label,
                    nas=nas.name,
                    session=target.acct_session_id or target.unique_id,
                    answer=answer,
                ),
            )
            if result.error_cause == "Session-Context-Not-Found":
                journal.session(self, subscription, target, open=False, release_pending=False)
            elif result.ok:
                values = {"release_pending": False} if release else {}
                if kind == coa.DISCONNECT:
                    values.update(disconnect_requested=True, disconnect_session_time=target.session_time)
                if values:
                    journal.session(self, subscription, target, **values)
            else:
                failures.append((f"{nas.name}: {answer}", False))
        return failures

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

    def _read_accounting(self, commit=False, batch_size=ACCOUNTING_BATCH, lanes=None):
        """Read what changed in radacct since the watermark and add it as daily usage.

        The rows are split by user name into ``lanes`` parts (the server's Parallel Reads by
        default), each read in batches of ``batch_size`` rows, a batch ahead, on its own
        connection to the RADIUS database. A batch's usage and its sessions' counters are
        written in one transaction; the watermark moves once every part's batch is written,
        so a killed run resumes without counting anything twice (reading a row again counts
        nothing). With ``commit`` (the scheduled action), the parts are written at once, each
        on its own cursor (so on its own core of the database server) and committed by
        itself, then the watermark is committed; without, one after the other in this
        transaction.
        """
        self.ensure_one()
        lanes = max(1, lanes or self.accounting_lanes or 1)
        since = (self.accounting_watermark or fields.Datetime.to_datetime("1970-01-01")) - ACCOUNTING_OVERLAP
        total = 0
        Session = self.env["isp.radius.session"]
        with ExitStack() as stack:
            cursors = [stack.enter_context(self._cursor()) for _lane in range(lanes)]
            cursor = cursors[0]
            cursor.execute(
                "SELECT 1 FROM pg_attribute WHERE attrelid = 'radacct'::regclass AND attname = 'isp_changed_at'"
            )
            if not cursor.fetchone():
                # Not prepared yet: add the change tracking now (a one-time rewrite, no timeout).
                cursor.execute("SET LOCAL statement_timeout = 0")
                cursor.execute(TRACKING_DDL)
                cursor.connection.commit()
            for cursor in cursors:
                # Sorting a batch in memory, not on disk.
                cursor.execute("SET LOCAL work_mem = %s", [ACCOUNTING_WORK_MEM])
            # The reading threads must not touch the ORM: the lanes get what they need now.
            reader = stack.enter_context(ThreadPoolExecutor(lanes, thread_name_prefix="isp-radacct"))
            parts = [
                AccountingLane(cursor, reader, lane, lanes, batch_size, self.tz, since)
                for lane, cursor in enumerate(cursors)
            ]
            writer = (
                stack.enter_context(ThreadPoolExecutor(lanes, thread_name_prefix="isp-usage"))
                if commit and lanes > 1
                else None
            )
            if writer:
                self.env.flush_all()
                self.env.cr.commit()  # pylint: disable=invalid-commit
            while active := [part for part in parts if not part.done]:
                if writer:
                    # Each part in its own transaction (no two write the same rows: a user name,
                    # so its subscription, its sessions and its daily usage, is in one part).
                    futures = [writer.submit(self._write_lane, part) for part in active]
                    wait(futures)
                    self.env.invalidate_all()
                    results = [future.result() for future in futures]  # the first error, if any
                else:
                    results = [part.write_batch(Session, self) for part in active]
                read = sum(count for count, _new in results)
                if not read:
                    break
                total += read
                Session._refresh_statistics(sum(new for _count, new in results))
                # Every row up to the least advanced part's is counted; and as in one part, the
                # watermark goes no further than the newest row read (the overlap is reckoned from it).
                watermark = min(min(part.counted_to for part in parts), max(part.key for part in parts))[0]
                self.write(
                    {
                        "accounting_watermark": max(self.accounting_watermark or watermark, watermark),
                        "accounting_read_at": fields.Datetime.now(),
                        "accounting_rows": total,
                        "last_error": False,
                    }
                )
                if commit:
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env["isp.radius.session"]._update_online(self)
        if not total:
            self.write(
                {"accounting_read_at": fields.Datetime.now(), "accounting_rows": 0, "last_error": False}
            )
        return total

    def _write_lane(self, part):
        """:meth:`AccountingLane.write_batch` on a cursor of its own, committed (a writing thread)."""
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, self.env.context, su=self.env.su)
            result = part.write_batch(env["isp.radius.session"], self.with_env(env))
            cr.commit()
            return result
