# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Prepare Database and Test Connection: who may press them, what they say, and a database
user that does not own radacct (the setup a DBA gives with isp_radius/data/radius_database.sql)."""

import uuid
import xmlrpc.client
from pathlib import Path
from xmlrpc.client import Fault

import psycopg2
from psycopg2 import errors as pgerrors

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import NAS_SECRET, IspRadiusCommon
from .freeradius import FreeRadius, schema_sql

SCRIPT = Path(__file__).parent.parent / "data" / "radius_database.sql"


def travels_over_xmlrpc(value):
    """True when XML-RPC can carry ``value`` (no None anywhere)."""
    xmlrpc.client.dumps((value,), allow_none=False)
    return True


@tagged("post_install", "-at_install")
class TestRadiusDatabase(IspRadiusCommon):
    def test_only_managers_prepare_and_test(self):
        for user in (self.isp_user, self.isp_billing, self.isp_technician):
            for method in ("action_test_connection", "action_prepare_database"):
                with (
                    self.subTest(user=user.login, method=method),
                    self.assertRefused(AccessError, "Only ISP managers"),
                ):
                    getattr(self.server.with_user(user), method)()
        server = self.server.with_user(self.isp_manager)
        tested = server.action_test_connection()
        self.assertEqual(tested["params"]["type"], "success", tested["params"]["message"])
        self.assertTrue(travels_over_xmlrpc(tested))
        prepared = server.action_prepare_database()
        self.assertEqual(prepared["params"]["type"], "success")
        self.assertTrue(travels_over_xmlrpc(prepared))

    def test_warns_when_radpostauth_stores_passwords(self):
        subscription = self.active_subscription()
        server = self.server.with_user(self.isp_manager)
        self.freeradius.radtest(subscription.pppoe_username, "wrong-password", NAS_SECRET)
        self.assertEqual(server.action_test_connection()["params"]["type"], "success")
        # FreeRADIUS as Debian ships it: its post-auth query stores what was typed, wrong or not.
        with FreeRadius({**self.db_params, "dbname": self.radius_dbname}, store_passwords=True) as debian:
            debian.radtest(subscription.pppoe_username, "wrong-password", NAS_SECRET)
        self.assertEqual(
            self.radius_sql("SELECT pass, reply FROM radpostauth ORDER BY id DESC LIMIT 1"),
            [("wrong-password", "Access-Reject")],
        )
        warning = server.action_test_connection()
        self.assertEqual(warning["params"]["type"], "warning")
        self.assertIn(
            "radpostauth stores the password typed in 1 of its last 1000 logins", warning["params"]["message"]
        )
        self.assertTrue(travels_over_xmlrpc(warning))

    def test_a_database_user_that_does_not_own_radacct(self):
        dbname = f"{self.radius_dbname}_dba"
        role = f"isp_radius_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(dbname="postgres", **self.db_params)
        admin.autocommit = True
        self.addCleanup(admin.close)
        try:
            admin.cursor().execute(f'CREATE ROLE "{role}" LOGIN')
        except pgerrors.InsufficientPrivilege:
            self.skipTest("the test database user may not create roles")
        self.addCleanup(admin.cursor().execute, f'DROP ROLE IF EXISTS "{role}"')
        admin.cursor().execute(f'CREATE DATABASE "{dbname}"')
        self.addCleanup(admin.cursor().execute, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        owner = psycopg2.connect(dbname=dbname, **self.db_params)
        owner.autocommit = True
        self.addCleanup(owner.close)
        owner.cursor().execute(schema_sql())
        server = (
            self.env["isp.radius.server"]
            .create(
                {
                    "name": "Limited RADIUS",
                    "db_host": self.db_params["host"] or "localhost",
                    "db_port": self.db_params["port"],
                    "db_name": dbname,
                    "db_user": role,
                    "db_sslmode": "disable",
                    "tz": "UTC",
                }
            )
            .with_user(self.isp_manager)
        )

        # No privileges yet: Test Connection says what is missing, Prepare Database why it cannot.
        message = server.action_test_connection()["params"]["message"]
        self.assertIn(f"{role} lacks these privileges: nas: SELECT, INSERT, DELETE", message)
        self.assertIn("radacct is not prepared yet", message)
        with self.assertRefused(UserError, "only its owner may do"):
            server.action_prepare_database()
        subscription = self.subscribe()
        subscription.with_user(self.isp_billing).action_activate()
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "retrying")
        self.assertIn(f"The RADIUS database user {role} lacks a privilege", subscription.provisioning_error)

        # The database administrator runs the shipped script once, as psql would with -v odoo_role=...
        owner.cursor().execute(SCRIPT.read_text().replace(':"odoo_role"', f'"{role}"'))
        self.assertEqual(server.action_test_connection()["params"]["type"], "success")
        self.assertEqual(server.action_prepare_database()["params"]["type"], "success")
        self.env["isp.provisioning"]._request(subscription)
        self.run_provisioning_jobs()
        self.assertEqual(subscription.provisioning_status, "done")
        cursor = owner.cursor()
        cursor.execute(
            "SELECT groupname FROM radusergroup WHERE username = %s", [subscription.pppoe_username]
        )
        self.assertEqual(cursor.fetchall(), [("isp_active",)])
        self.assertGreaterEqual(server.sudo()._sync_users()["users"], 1)
        self.assertEqual(server.sudo()._read_accounting(), 0)


@tagged("post_install", "-at_install")
class TestRadiusDatabaseRpc(IspRadiusCommon, HttpCase):
    def call(self, user, method):
        password = user.login + "x" * (8 - len(user.login))
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, user.id, password, "isp.radius.server", method, [[self.server.id]], {}
        )

    def test_prepare_and_test_over_xmlrpc(self):
        for method in ("action_test_connection", "action_prepare_database"):
            with self.subTest(method=method):
                result = self.call(self.isp_manager, method)
                self.assertEqual((result["type"], result["params"]["type"]), ("ir.actions.client", "success"))
                with self.assertRaisesRegex(Fault, "Only ISP managers"):
                    self.call(self.isp_user, method)
