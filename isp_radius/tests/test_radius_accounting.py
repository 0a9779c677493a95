# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import io
import random
import threading
from datetime import date, timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.isp_radius.models.isp_radius_server import AccountingLane
from odoo.addons.isp_subscription.lib import session_counters

from .common import IspRadiusCommon

GIGAWORD = 2**32
FIRST_INTERIM = {
    "Acct-Session-Time": 600,
    "Acct-Input-Octets": 100,
    "Acct-Input-Gigawords": 1,
    "Acct-Output-Octets": 5000,
    "Acct-Output-Gigawords": 2,
}


@tagged("post_install", "-at_install")
class TestRadiusAccounting(IspRadiusCommon):
    def usage(self, subscription):
        subscription.invalidate_recordset()
        return {(u.day, u.bytes_down, u.bytes_up, u.session_seconds) for u in subscription.usage_ids}

    def test_start_interim_replay_stop_count_once(self):
        subscription = self.active_subscription()
        self.account(subscription, "Start")
        self.account(
            subscription,
            "Interim-Update",
            **FIRST_INTERIM,
        )
        self.server._read_accounting()
        today = date.today()
        self.assertEqual(self.usage(subscription), {(today, 2 * GIGAWORD + 5000, GIGAWORD + 100, 600)})
        self.assertTrue(subscription.network_online)
        self.assertTrue(subscription.network_last_seen)
        session = subscription.radius_session_ids
        self.assertEqual(
            (session.open, session.framed_ip, session.acct_session_id), (True, "10.10.0.2", "sess-1")
        )

        # The NAS resends the same interim update: nothing more.
        self.account(
            subscription,
            "Interim-Update",
            **FIRST_INTERIM,
        )
        self.server._read_accounting()
        self.server._read_accounting()
        self.assertEqual(self.usage(subscription), {(today, 2 * GIGAWORD + 5000, GIGAWORD + 100, 600)})

        self.account(
            subscription,
            "Stop",
            **{
                "Acct-Session-Time": 900,
                "Acct-Input-Octets": 300,
                "Acct-Input-Gigawords": 1,
                "Acct-Output-Octets": 9000,
                "Acct-Output-Gigawords": 2,
                "Acct-Terminate-Cause": "User-Request",
            },
        )
        self.server._read_accounting()
        self.assertEqual(self.usage(subscription), {(today, 2 * GIGAWORD + 9000, GIGAWORD + 300, 900)})
        self.assertFalse(subscription.network_online)
        self.assertFalse(subscription.radius_session_ids.open)

    def test_late_interim_is_not_counted_twice(self):
        subscription = self.active_subscription()
        self.account(subscription, "Start")
        newer = {"Acct-Session-Time": 1200, "Acct-Input-Octets": 2000, "Acct-Output-Octets": 80000}
        older = {"Acct-Session-Time": 600, "Acct-Input-Octets": 1000, "Acct-Output-Octets": 40000}
        self.account(subscription, "Interim-Update", **newer)
        self.server._read_accounting()
        self.account(subscription, "Interim-Update", **older)  # delivered late
        self.server._read_accounting()
        self.account(subscription, "Interim-Update", **newer)
        self.server._read_accounting()
        self.assertEqual(self.usage(subscription), {(date.today(), 80000, 2000, 1200)})

    def test_usage_beyond_the_cap_switches_to_fair_usage(self):
        subscription = self.active_subscription(self.capped_plan)
        self.account(subscription, "Start")
        self.account(
            subscription,
            "Interim-Update",
            **{"Acct-Session-Time": 60, "Acct-Output-Gigawords": 70, "Acct-Output-Octets": 0},
        )
        self.server._read_accounting()
        self.assertTrue(subscription.fair_usage, "70 GiB words = 300.6 GB, beyond the 300 GB cap")
        self.assertEqual(len(self.provisioning_jobs()), 1, "the network is told")

    def test_unknown_users_are_recorded_without_usage(self):
        self.freeradius.radclient(
            {
                "User-Name": "nobody",
                "Acct-Session-Id": "x",
                "NAS-IP-Address": "127.0.0.1",
                "Acct-Status-Type": "Start",
            },
            "nas-secret",
        )
        self.assertEqual(self.server._read_accounting(), 1)
        session = self.env["isp.radius.session"].search([("username", "=", "nobody")])
        self.assertFalse(session.subscription_id)

    def test_suspension_disconnects_and_a_session_still_alive_is_flagged(self):
        subscription = self.active_subscription()
        self.account(subscription, "Start", session_id="live-1")
        self.server._read_accounting()
        self.coa.requests.clear()
        subscription._suspend("unpaid", for_debt=True)
        self.run_provisioning_jobs()
        (request,) = self.coa.wait_for(1)
        self.assertEqual(request["code"], 40, "Disconnect-Request")
        self.assertEqual(request["attributes"]["User-Name"], [subscription.pppoe_username])
        self.assertEqual(request["attributes"]["Acct-Session-Id"], ["live-1"])
        self.assertIn("Disconnect sent to Test NAS", subscription.message_ids[0].body)

        # The NAS said yes, but the session goes on sending updates.
        self.account(subscription, "Interim-Update", session_id="live-1", **{"Acct-Session-Time": 300})
        self.server._read_accounting()
        self.assertTrue(subscription.online_while_suspended)
        self.assertEqual(len(self.provisioning_jobs()), 1, "the disconnection is sent again")
        self.run_provisioning_jobs()
        self.assertEqual(len(self.coa.wait_for(2)), 2)

        # Paid: reconnected, the flag goes.
        subscription._reconnect()
        self.assertFalse(subscription.online_while_suspended)

    def test_fair_usage_sends_the_new_speed(self):
        subscription = self.active_subscription(self.capped_plan)
        self.account(subscription, "Start", session_id="live-2")
        self.server._read_accounting()
        self.coa.requests.clear()
        subscription._set_fair_usage(True)
        self.run_provisioning_jobs()
        (request,) = self.coa.wait_for(1)
        self.assertEqual(request["code"], 43, "CoA-Request")
        self.assertEqual(request["attributes"]["Mikrotik-Rate-Limit"], [subscription.rate_limit])

    def test_nas_refusing_is_retried(self):
        subscription = self.active_subscription()
        self.account(subscription, "Start", session_id="live-3")
        self.server._read_accounting()
        self.coa.nak_cause = "Resources-Unavailable"
        self.addCleanup(setattr, self.coa, "nak_cause", None)
        subscription._suspend("unpaid")
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertIn("Resources-Unavailable", subscription.provisioning_error)
        self.assertEqual(
            self.freeradius.radtest(
                subscription.pppoe_username, self.password(subscription), "nas-secret"
            ).count("Access-Reject"),
            1,
            "the RADIUS database was updated all the same",
        )


@tagged("post_install", "-at_install")
class TestAccountingRule(IspRadiusCommon):
    """The SQL that reads accounting batches gives what lib.session_counters.delta says."""

    def test_sql_agrees_with_the_rule_on_random_deliveries(self):
        rng = random.Random(7)
        subscription = self.active_subscription()
        Session = self.env["isp.radius.session"]
        expected = session_counters.Delta(0, 0, 0)
        remembered = None
        counters = session_counters.Counters()
        history = []
        for step in range(200):
            kind = rng.random()
            if kind < 0.6 or not history:  # a new interim update
                counters = session_counters.Counters(
                    counters.input_octets + rng.randrange(10**6),
                    counters.output_octets + rng.randrange(10**7),
                    counters.session_time + rng.randrange(1, 300),
                )
                history.append(counters)
                current = counters
            elif kind < 0.8:  # a replay or a late one
                current = rng.choice(history)
            else:  # the NAS restarted its counters
                counters = session_counters.Counters(
                    rng.randrange(1000), rng.randrange(1000), counters.session_time + rng.randrange(1, 300)
                )
                history = [counters]
                current = counters
            change, remembered = session_counters.delta(remembered, current)
            expected = session_counters.Delta(
                expected.bytes_down + change.bytes_down,
                expected.bytes_up + change.bytes_up,
                expected.seconds + change.seconds,
            )
            # One radacct row as the server's query gives it (COPY binary, made by PostgreSQL).
            row = io.BytesIO()
            self.env.cr.copy_expert(
                self.env.cr.mogrify(
                    """COPY (SELECT 'uid-1'::text, 'sess'::text, %s::text, '127.0.0.1'::text, NULL::text,
                                    '2026-11-23 08:00:00'::timestamp, '2026-11-23 08:00:00'::timestamp, FALSE,
                                    %s::bigint, %s::float8, %s::float8, '2026-11-23'::date,
                                    %s::timestamp, %s::bigint) TO STDOUT WITH (FORMAT binary)""",
                    [
                        subscription.pppoe_username,
                        current.session_time,
                        current.input_octets,
                        current.output_octets,
                        f"2026-11-23 08:00:{step % 60:02d}",
                        step + 1,
                    ],
                ).decode(),
                row,
            )
            row.seek(0)
            Session._load_batch(row)
            Session._ingest(self.server)
        subscription.invalidate_recordset()
        usage = subscription.usage_ids
        self.assertEqual(
            (usage.bytes_down, usage.bytes_up, usage.session_seconds),
            (expected.bytes_down, expected.bytes_up, expected.seconds),
        )


@tagged("post_install", "-at_install")
class TestAccountingBatches(IspRadiusCommon):
    """Reading radacct in batches: the day a delta belongs to, and a run killed halfway."""

    def radacct(self, statement, params=None):
        return self.radius_sql(statement, params)

    def open_sessions(self, subscription, count, prefix="u"):
        """Sessions ``prefix``1 to ``prefix``count: session n has 60n s, 1000n bytes up, 7000n down."""
        self.radacct(
            """
            INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime,
                                 acctupdatetime, acctsessiontime, acctinputoctets, acctoutputoctets)
            SELECT 's' || n, %s || n, %s, '127.0.0.1', now(), now(), 60 * n, 1000 * n, 7000 * n
              FROM generate_series(1, %s) AS n
            """,
            [prefix, subscription.pppoe_username, count],
        )

    def lane_users(self, lanes):
        """Phone-number user names, the first of each part of a read in ``lanes`` parts."""
        self.env.cr.execute(
            "SELECT name, (hashtext(name) & 2147483647) %% %s FROM unnest(%s::text[]) AS name",
            [lanes, [f"6281255501{n:02d}" for n in range(60)]],
        )
        first = {}
        for name, lane in self.env.cr.fetchall():
            first.setdefault(lane, name)
        return [first[lane] for lane in range(lanes)]

    def subscriptions_in_lanes(self, lanes):
        """One subscription in each part, with 2, 3, 4... open sessions (uneven parts)."""
        subscriptions = [self.active_subscription(pppoe_username=name) for name in self.lane_users(lanes)]
        for index, subscription in enumerate(subscriptions):
            self.open_sessions(subscription, 2 + index, prefix=subscription.pppoe_username)
        return subscriptions

    def assert_counted_once(self, subscriptions):
        self.env.invalidate_all()
        for index, subscription in enumerate(subscriptions):
            sessions = 2 + index
            usage = subscription.usage_ids
            self.assertEqual(
                (usage.bytes_down, usage.bytes_up, usage.session_seconds),
                tuple(unit * sessions * (sessions + 1) // 2 for unit in (7000, 1000, 60)),
                subscription.pppoe_username,
            )

    def test_parallel_reads_count_each_part_once_and_move_the_watermark_past_all(self):
        subscriptions = self.subscriptions_in_lanes(3)
        # Parts of 2, 3 and 4 rows read 2 at a time: three rounds, the parts done one after another.
        self.assertEqual(self.server._read_accounting(batch_size=2, lanes=3), 2 + 3 + 4)
        self.assert_counted_once(subscriptions)
        last_change = self.radacct("SELECT max(isp_changed_at) AT TIME ZONE 'UTC' FROM radacct")[0][0]
        self.assertAlmostEqual(self.server.accounting_watermark, last_change, delta=timedelta(seconds=1))
        self.assertEqual(self.server.accounting_rows, 9)

        # Read again from the watermark (with its overlap), by one part or by two: nothing more.
        self.assertEqual(self.server._read_accounting(lanes=1), 9)
        self.assertEqual(self.server._read_accounting(lanes=2), 9)
        self.assert_counted_once(subscriptions)

    def test_a_part_done_early_holds_the_watermark_where_it_looked(self):
        """Part A is done in the first round while part B reads on: a row A gets meanwhile, dated
        between B's rows, is read by the next run (the watermark is where A last looked, not
        B's last row)."""
        first, second = self.subscriptions_in_lanes(2)
        self.radacct("DELETE FROM radacct")
        insert = """
            INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime,
                                 acctupdatetime, acctsessiontime, acctinputoctets, acctoutputoctets,
                                 isp_changed_at)
            VALUES (%s, %s, %s, '127.0.0.1', now(), now(), 60, 1000, 7000, now() + %s * interval '1 hour')
        """
        self.radacct(insert, ["a1", "a1", first.pppoe_username, 0])
        for hours in (1, 2, 3):
            self.radacct(insert, [f"b{hours}", f"b{hours}", second.pppoe_username, hours])
        Session = type(self.env["isp.radius.session"])
        ingest = Session._ingest
        calls = []

        def a_row_meanwhile(session_model, server):
            calls.append(server)
            if len(calls) == 1:
                self.radacct(insert, ["a2", "a2", first.pppoe_username, 1.5])
            return ingest(session_model, server)

        with patch.object(Session, "_ingest", a_row_meanwhile):
            self.assertEqual(self.server._read_accounting(batch_size=2, lanes=2), 4)
        self.assertLess(self.server.accounting_watermark, fields.Datetime.now() + timedelta(minutes=1))
        self.server._read_accounting(lanes=2)
        first.invalidate_recordset()
        self.assertEqual(sum(first.usage_ids.mapped("bytes_down")), 2 * 7000, "a2 read by the next run")

    def commit_as_savepoint(self):
        """What a commit is inside the test's transaction: the work so far cannot be rolled back
        by what follows (until ``ROLLBACK TO SAVEPOINT batch``: a killed run)."""
        cr = self.env.cr
        cr.execute("SAVEPOINT batch")

        def commit():
            cr.execute("RELEASE SAVEPOINT batch")
            cr.execute("SAVEPOINT batch")

        return patch.object(cr, "commit", commit)

    def test_scheduled_parallel_reads_write_each_part_on_its_own_cursor(self):
        subscriptions = self.subscriptions_in_lanes(2)
        # Cursors of other threads use this test's transaction (one at a time), as in HTTP tests.
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        write_batch = AccountingLane.write_batch
        writers = []

        def recorded(part, session_model, server):
            writers.append((threading.current_thread().name, session_model.env.cr))
            return write_batch(part, session_model, server)

        with self.commit_as_savepoint(), patch.object(AccountingLane, "write_batch", recorded):
            self.assertEqual(self.server._read_accounting(commit=True, batch_size=2, lanes=2), 2 + 3)
        self.assertTrue(writers)
        self.assertTrue(all(name.startswith("isp-usage") for name, _cr in writers))
        self.assertNotIn(self.env.cr, [cr for _name, cr in writers])
        self.assert_counted_once(subscriptions)
        self.assertEqual(self.server.accounting_rows, 5)

    def test_a_part_that_fails_leaves_the_watermark_and_the_other_part_counts_once(self):
        subscriptions = self.subscriptions_in_lanes(2)
        failing = subscriptions[1].pppoe_username
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)
        Session = type(self.env["isp.radius.session"])
        ingest = Session._ingest

        def failing_for_one_user(session_model, server):
            session_model.env.cr.execute("SELECT bool_or(username = %s) FROM isp_radacct_batch", [failing])
            if session_model.env.cr.fetchone()[0]:
                raise ValueError("this part fails on every try")
            return ingest(session_model, server)

        with self.commit_as_savepoint(), patch.object(Session, "_ingest", failing_for_one_user):
            for _try in range(2):
                # Not assertRaises: its savepoint would be released by the commits.
                failed = None
                try:
                    self.server._read_accounting(commit=True, lanes=2)
                except ValueError as error:
                    failed = error
                self.assertIn("every try", str(failed))
                self.env.cr.execute("ROLLBACK TO SAVEPOINT batch")  # as the scheduled action does
        self.env.invalidate_all()
        self.assertFalse(self.server.accounting_watermark, "the watermark waits for every part")
        self.assertFalse(subscriptions[1].usage_ids)
        with self.commit_as_savepoint():
            self.assertEqual(self.server._read_accounting(commit=True, lanes=2), 2 + 3)
        self.assert_counted_once(subscriptions)

    def test_a_session_across_midnight_counts_on_each_day_of_the_server_timezone(self):
        subscription = self.active_subscription()
        self.server.tz = "Asia/Jakarta"  # UTC+7: both updates fall on 23 November in UTC
        self.radacct(
            """
            INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime,
                                 acctupdatetime, acctsessiontime, acctinputoctets, acctoutputoctets,
                                 isp_changed_at)
            VALUES ('m', 'm-1', %s, '127.0.0.1', '2026-11-23 16:00+00', '2026-11-23 16:55+00',
                    600, 1000, 5000, '2026-11-23 16:55+00')
            """,
            [subscription.pppoe_username],
        )
        self.server._read_accounting()
        # The update 10 minutes later, just after midnight in Jakarta (the trigger would stamp now).
        self.radacct(
            """
            ALTER TABLE radacct DISABLE TRIGGER isp_radacct_touch;
            UPDATE radacct SET acctsessiontime = 1200, acctinputoctets = 3000, acctoutputoctets = 9000,
                               acctupdatetime = '2026-11-23 17:05+00', isp_changed_at = '2026-11-23 17:05+00';
            ALTER TABLE radacct ENABLE TRIGGER isp_radacct_touch;
            """
        )
        self.server._read_accounting()
        subscription.invalidate_recordset()
        self.assertEqual(
            {(u.day, u.bytes_down, u.bytes_up, u.session_seconds) for u in subscription.usage_ids},
            {(date(2026, 11, 23), 5000, 1000, 600), (date(2026, 11, 24), 4000, 2000, 600)},
        )
        self.assertEqual(subscription.usage_ids.company_id, subscription.company_id)

    def test_a_session_recorded_meanwhile_is_updated_and_counted_once(self):
        """A NAS's answer about a session not read yet is committed after the batch's statement
        began (hidden from its join here): the plain insert fails, the batch is written again
        and updates the recorded session."""
        subscription = self.active_subscription()
        self.open_sessions(subscription, 1)  # u1: 60 s, 1000 bytes up, 7000 down
        self.env.cr.execute(
            """
            INSERT INTO isp_radius_session (server_id, unique_id, subscription_id, open, session_time,
                                            input_octets, output_octets)
            VALUES (%s, 'u1', %s, TRUE, 0, 0, 0)
            """,
            [self.server.id, subscription.id],
        )
        Session = type(self.env["isp.radius.session"])
        statement = Session._batch_statement
        calls = []

        def recorded_meanwhile(session_model, server, conflicts=False):
            calls.append(conflicts)
            query = statement(session_model, server, conflicts)
            join = "ON s.server_id = %s AND s.unique_id = b.unique_id"
            self.assertIn(join, query.code)
            return SQL(query.code.replace(join, f"ON FALSE AND {join[3:]}"), *query.params)

        with patch.object(Session, "_batch_statement", recorded_meanwhile):
            self.server._read_accounting()
        self.assertEqual(calls, [False, True])
        session = self.env["isp.radius.session"].search([("server_id", "=", self.server.id)])
        self.assertEqual(
            (session.unique_id, session.session_time, session.input_octets, session.output_octets),
            ("u1", 60, 1000, 7000),
        )
        subscription.invalidate_recordset()
        self.assertEqual(
            (
                sum(subscription.usage_ids.mapped("bytes_down")),
                sum(subscription.usage_ids.mapped("bytes_up")),
            ),
            (7000, 1000),
        )

    def test_a_run_killed_between_batches_counts_nothing_twice_when_run_again(self):
        subscription = self.active_subscription()
        self.open_sessions(subscription, 5)
        cr = self.env.cr
        Usage = type(self.env["isp.usage.daily"])
        added = Usage._usage_added
        calls = []

        def killed_in_second_batch(usage_model, subscription_ids):
            calls.append(subscription_ids)
            if len(calls) == 2:
                raise KeyboardInterrupt("killed")
            return added(usage_model, subscription_ids)

        with self.commit_as_savepoint(), patch.object(Usage, "_usage_added", killed_in_second_batch):
            # Not assertRaises: its savepoint would be released by the batches' commits.
            killed = False
            try:
                self.server._read_accounting(commit=True, batch_size=2, lanes=1)
            except KeyboardInterrupt:
                killed = True
            self.assertTrue(killed)
        cr.execute("ROLLBACK TO SAVEPOINT batch")  # the killed batch's transaction is lost
        self.env.invalidate_all()
        self.assertEqual(self.server.accounting_rows, 2, "the first batch was committed")
        self.assertEqual(sum(subscription.usage_ids.mapped("bytes_down")), 7000 * (1 + 2))

        with self.commit_as_savepoint():
            self.assertEqual(
                self.server._read_accounting(commit=True, batch_size=2, lanes=1),
                5,
                "read again from the watermark (with its overlap)",
            )
        self.env.invalidate_all()
        usage = subscription.usage_ids
        self.assertEqual(
            (usage.bytes_down, usage.bytes_up, usage.session_seconds),
            (7000 * 15, 1000 * 15, 60 * 15),
            "each session counted once",
        )
        self.assertEqual(self.env["isp.radius.session"].search_count([("server_id", "=", self.server.id)]), 5)

    def test_old_closed_sessions_are_deleted(self):
        subscription = self.active_subscription()
        now = fields.Datetime.now()
        Session = self.env["isp.radius.session"]

        def session(name, is_open, days_ago):
            return Session.create(
                {
                    "server_id": self.server.id,
                    "unique_id": name,
                    "subscription_id": subscription.id,
                    "open": is_open,
                    "started_at": now - timedelta(days=days_ago + 1),
                    "last_update": now - timedelta(days=days_ago),
                }
            )

        old_closed = session("old-closed", False, 400)
        recent_closed = session("recent-closed", False, 30)
        old_open = session("old-open", True, 400)  # still open: never deleted
        Config = self.env["ir.config_parameter"].sudo()
        Config.set_param("isp_radius.closed_session_days", "0")
        self.assertEqual(Session._cron_purge_closed_sessions(), 0, "0 keeps every session")
        Config.set_param("isp_radius.closed_session_days", "")
        self.assertEqual(Session._cron_purge_closed_sessions(), 1, "a year by default")
        self.assertFalse(old_closed.exists())
        self.assertTrue(recent_closed.exists() and old_open.exists())
        Config.set_param("isp_radius.closed_session_days", "20")
        Session._cron_purge_closed_sessions()
        self.assertFalse(recent_closed.exists())
        self.assertTrue(self.env.ref("isp_radius.ir_cron_radius_purge_sessions").active)
