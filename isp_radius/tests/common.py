# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import uuid

import psycopg2

from odoo.tools import config

from odoo.addons.isp_subscription.tests.common import IspSubscriptionCommon

from .coa_server import CoaServer
from .freeradius import FreeRadius, schema_sql

NAS_SECRET = "nas-secret"


def postgres_params():
    """libpq parameters of the server Odoo runs on (for a RADIUS database beside it)."""
    params = {"host": config["db_host"] or None, "port": int(config["db_port"] or 5432)}
    if config["db_user"]:
        params["user"] = config["db_user"]
    if config["db_password"]:
        params["password"] = config["db_password"]
    return params


class IspRadiusCommon(IspSubscriptionCommon):
    """A RADIUS database with Debian's schema, FreeRADIUS on it, a NAS with a CoA listener."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.db_params = postgres_params()
        cls.radius_dbname = f"isp_radius_{uuid.uuid4().hex[:10]}"
        admin = psycopg2.connect(dbname="postgres", **cls.db_params)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{cls.radius_dbname}"')
        admin.close()
        cls.addClassCleanup(cls._drop_radius_database)
        with cls.radius_sql_connection() as connection, connection.cursor() as cursor:
            cursor.execute(schema_sql())

        cls.coa = CoaServer(NAS_SECRET).start()
        cls.server = cls.env["isp.radius.server"].create(
            {
                "name": "Test RADIUS",
                "db_host": cls.db_params["host"] or "localhost",
                "db_port": cls.db_params["port"],
                "db_name": cls.radius_dbname,
                "db_user": cls.db_params.get("user") or "odoo",
                "db_password": cls.db_params.get("password"),
                "db_sslmode": "disable",
                "tz": "UTC",
                "coa_timeout": 1,
                "coa_retries": 0,
            }
        )
        cls.nas = cls.env["isp.nas"].create(
            {
                "name": "Test NAS",
                "ip_address": "127.0.0.1",
                "radius_secret": NAS_SECRET,
                "radius_server_id": cls.server.id,
                "coa_port": cls.coa.port,
                "site_id": cls.pop.id,
            }
        )
        cls.server._prepare_database()
        cls.provisioner = cls.env.ref("isp_radius.provisioner_radius")
        cls.provisioner.active = True
        cls.freeradius = FreeRadius({**cls.db_params, "dbname": cls.radius_dbname}).start()
        cls.addClassCleanup(cls.freeradius.stop)

    def setUp(self):
        super().setUp()
        # Odoo rolls each test back; the RADIUS database must forget it too.
        self.radius_sql("TRUNCATE radacct, radcheck, radreply, radusergroup, radpostauth")
        self.coa.reset()

    @classmethod
    def _drop_radius_database(cls):
        admin = psycopg2.connect(dbname="postgres", **cls.db_params)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{cls.radius_dbname}" WITH (FORCE)')
        admin.close()

    @classmethod
    def radius_sql_connection(cls):
        return psycopg2.connect(dbname=cls.radius_dbname, **cls.db_params)

    def radius_sql(self, statement, params=None):
        with self.radius_sql_connection() as connection, connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else None

    def active_subscription(self, plan=None, **values):
        subscription = self.subscribe(plan, **values)
        subscription.action_activate()
        self.run_provisioning_jobs()
        return subscription

    def password(self, subscription):
        return subscription.sudo().pppoe_password

    def account(self, subscription, status, session_id="sess-1", **attributes):
        """Accounting from the NAS for ``subscription``'s user, through FreeRADIUS."""
        return self.freeradius.radclient(
            {
                "User-Name": subscription.pppoe_username,
                "Acct-Session-Id": session_id,
                "NAS-IP-Address": "127.0.0.1",
                "Framed-IP-Address": "10.10.0.2",
                "Acct-Status-Type": status,
                **attributes,
            },
            NAS_SECRET,
        )
