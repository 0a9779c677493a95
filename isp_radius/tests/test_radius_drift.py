# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The daily sync repairs users edited by hand in the RADIUS database, set-based."""

from odoo.tests import tagged

from .common import NAS_SECRET, IspRadiusCommon

TABLES = {
    "radcheck": "attribute, op, value",
    "radreply": "attribute, op, value",
    "radusergroup": "groupname, priority::text, ''",
}


@tagged("post_install", "-at_install")
class TestRadiusDrift(IspRadiusCommon):
    def rows(self, username):
        """Every row of ``username``, duplicates included."""
        return sorted(
            (table, *row)
            for table, columns in TABLES.items()
            for row in self.radius_sql(f"SELECT {columns} FROM {table} WHERE username = %s", [username])
        )

    def daily_sync(self):
        self.env["isp.radius.server"]._cron_sync_config(commit=False)
        self.server.invalidate_recordset()

    def test_daily_sync_repairs_users_drifted_by_hand_and_counts_them(self):
        lost, slowed, doubled, suspended = (self.active_subscription() for _i in range(4))
        suspended._suspend("unpaid", for_debt=True)
        self.run_provisioning_jobs()
        # The other subscriptions of the company (the demo's) were never provisioned: the first
        # sync writes them.
        self.daily_sync()
        # Not ours: the operator's own user, and one named like a draft subscription.
        draft = self.subscribe(pppoe_username="noc-draft")
        for username in ("noc-test", draft.pppoe_username):
            for _copy in range(2):
                self.radius_sql(
                    "INSERT INTO radcheck (username, attribute, op, value) VALUES (%s, 'Cleartext-Password', ':=', 'x')",
                    [username],
                )
        theirs = {username: self.rows(username) for username in ("noc-test", "noc-draft")}
        expected = {s: self.rows(s.pppoe_username) for s in (lost, slowed, doubled, suspended)}

        # Edits by hand: two rows deleted, one changed (a stale and a missing row), one
        # duplicated, one left over.
        self.radius_sql("DELETE FROM radcheck WHERE username = %s", [lost.pppoe_username])
        self.radius_sql(
            "UPDATE radreply SET value = '100M/100M' WHERE username = %s", [slowed.pppoe_username]
        )
        self.radius_sql(
            "INSERT INTO radusergroup (username, groupname, priority) SELECT username, groupname, priority "
            "FROM radusergroup WHERE username = %s",
            [doubled.pppoe_username],
        )
        self.radius_sql(
            "INSERT INTO radreply (username, attribute, op, value) VALUES (%s, 'Framed-IP-Address', ':=', '10.9.9.9')",
            [suspended.pppoe_username],
        )
        jobs = self.provisioning_jobs()
        self.daily_sync()

        for subscription, rows in expected.items():
            self.assertEqual(self.rows(subscription.pppoe_username), rows, subscription.pppoe_username)
        for username, rows in theirs.items():
            self.assertEqual(self.rows(username), rows, f"{username} is not Odoo's: left as it was")
        self.assertEqual(self.server.drift_users_repaired, 4)
        self.assertEqual(self.server.drift_rows_repaired, 2 + 2 + 1 + 1)
        self.assertIn("4 repaired (6 rows)", self.server.drift_message)
        self.assertTrue(self.server.drift_checked_at)
        answer = self.freeradius.radtest(lost.pppoe_username, self.password(lost), NAS_SECRET)
        self.assertIn(f'Mikrotik-Rate-Limit = "{self.plan.rate_limit}"', answer)
        # The suspended user was given an address by hand: it is provisioned again, which
        # disconnects a session it may have opened with it.
        self.assertEqual((self.provisioning_jobs() - jobs).mapped(lambda job: job.args[1]), suspended)

        # Nothing drifted: nothing to repair.
        self.daily_sync()
        self.assertEqual((self.server.drift_users_repaired, self.server.drift_rows_repaired), (0, 0))

    def test_batches_and_changes_whose_job_has_not_run(self):
        renamed, terminated, kept = (self.active_subscription() for _i in range(3))
        old_name = renamed.pppoe_username
        # Changes made in Odoo whose provisioning jobs never ran (the job runner was down).
        renamed.pppoe_username = f"{old_name}-new"
        terminated._terminate()
        self.radius_sql("DELETE FROM radusergroup WHERE username = %s", [kept.pppoe_username])
        result = self.server._sync_users(batch_size=200)
        self.assertGreaterEqual(result["repaired"], 3)
        self.assertFalse(self.rows(old_name))
        self.assertFalse(self.rows(terminated.pppoe_username))
        self.assertEqual(renamed.radius_username, f"{old_name}-new")
        self.assertFalse(terminated.radius_username)
        self.assertIn(
            "Access-Accept",
            self.freeradius.radtest(renamed.pppoe_username, self.password(renamed), NAS_SECRET),
        )
        self.assertEqual(
            self.radius_sql("SELECT groupname FROM radusergroup WHERE username = %s", [kept.pppoe_username]),
            [("isp_active",)],
        )
        # The same, again: nothing left to do.
        self.assertEqual(self.server._sync_users(batch_size=200)["repaired"], 0)

    def test_a_job_repairs_duplicates_of_its_user(self):
        subscription = self.active_subscription()
        username = subscription.pppoe_username
        expected = self.rows(username)
        self.radius_sql(
            "INSERT INTO radcheck (username, attribute, op, value) SELECT username, attribute, op, value "
            "FROM radcheck WHERE username = %s",
            [username],
        )
        self.env["isp.provisioning"]._request(subscription)
        self.run_provisioning_jobs()
        self.assertEqual(self.rows(username), expected)
