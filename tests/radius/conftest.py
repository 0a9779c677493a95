# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Fixtures: a throwaway RADIUS database with Debian's schema, and FreeRADIUS on it.

The database lives on the PostgreSQL server the project's setup uses; the
test command passes it in ``ISP_TEST_PGHOST``/``PGPORT``/``PGUSER``/``PGPASSWORD``.
"""

from __future__ import annotations

import os
import shutil
import uuid

import psycopg2
import pytest

from isp_radius.tests.freeradius import FreeRadius, schema_sql

SECRET = "nas-secret"


def _server_params():
    host = os.environ.get("ISP_TEST_PGHOST")
    if not host:
        pytest.skip("no PostgreSQL server given (ISP_TEST_PGHOST): run through `python3 setup/isp.py test`")
    return {
        "host": host,
        "port": int(os.environ.get("ISP_TEST_PGPORT", 5432)),
        "user": os.environ.get("ISP_TEST_PGUSER", "odoo"),
        "password": os.environ.get("ISP_TEST_PGPASSWORD", ""),
    }


@pytest.fixture
def radius_db():
    """libpq parameters of a new database with Debian's FreeRADIUS schema, dropped afterwards."""
    params = _server_params()
    name = f"isp_radius_test_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    db = {**params, "dbname": name}
    with psycopg2.connect(**db) as connection, connection.cursor() as cursor:
        cursor.execute(schema_sql())
    try:
        yield db
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def sql(radius_db):
    """Run statements in the RADIUS database (autocommit); returns the rows of a query."""
    connection = psycopg2.connect(**radius_db)
    connection.autocommit = True

    def run(statement, params=None):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall() if cursor.description else None

    run(
        "INSERT INTO nas (nasname, shortname, type, secret) VALUES ('127.0.0.1', 'test', 'other', %s)",
        [SECRET],
    )
    yield run
    connection.close()


@pytest.fixture
def freeradius(radius_db, sql):
    if not shutil.which("freeradius") and not os.path.exists("/usr/sbin/freeradius"):
        pytest.fail(
            "FreeRADIUS is not installed: apt-get install freeradius freeradius-postgresql freeradius-utils"
        )
    with FreeRadius(radius_db) as server:
        yield server
