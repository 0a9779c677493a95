# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Benchmark: reading RADIUS accounting (radacct) into daily usage.

    .local/venv/bin/python tests/benchmarks/bench_radius.py [--database DB] [UPDATES ...]   # default: 100000 1000000

Needs the database made by `python3 setup/isp.py serve` (isp_radius installed,
500 demo subscriptions; another one with `--database` or `ISP_DB`) and Debian's
FreeRADIUS schema file. For each count it
makes a throwaway RADIUS database beside Odoo's with Debian's schema, opens
UPDATES / 10 sessions of the demo subscriptions' users, then runs 10 rounds in
which every session gets an interim update (one SQL UPDATE, as FreeRADIUS's
query does, firing the change-tracking trigger) and the accounting is read and
committed batch by batch, as the scheduled action does (in the server's
parallel reads). Only the reads are timed: rows per second, total time and the
process's peak resident memory. The usage added must equal the sessions'
counters in radacct, to the byte, or the benchmark fails.
Afterwards the RADIUS database, the sessions and the usage it added are removed,
the subscriptions' network fields are put back and the tables vacuumed.
"""

import resource
import time
import uuid
from pathlib import Path

import psycopg2
from common import open_registry, parse_args, postgres_params

ROUNDS = 10
SCHEMA = Path("/etc/freeradius/3.0/mods-config/sql/main/postgresql/schema.sql")
RESTORED = ("network_online", "network_last_seen", "fair_usage")


def snapshot(cr):
    cr.execute(f"SELECT id, {', '.join(RESTORED)} FROM isp_subscription")
    subscriptions = cr.fetchall()
    cr.execute("SELECT * FROM isp_usage_daily WHERE day >= current_date - 1")
    columns = [d.name for d in cr.description]
    return subscriptions, columns, cr.fetchall()


def usage_totals(cr):
    cr.execute("SELECT sum(bytes_down), sum(bytes_up), sum(session_seconds) FROM isp_usage_daily")
    return tuple(int(value or 0) for value in cr.fetchone())


def restore(cr, server_id, state):
    subscriptions, columns, usage = state
    cr.execute("DELETE FROM isp_radius_server WHERE id = %s", [server_id])
    cr.execute("DELETE FROM isp_usage_daily WHERE day >= current_date - 1")
    for row in usage:
        cr.execute(
            f"INSERT INTO isp_usage_daily ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
            row,
        )
    for sid, *values in subscriptions:
        cr.execute(
            f"UPDATE isp_subscription SET {', '.join(f'{c} = %s' for c in RESTORED)} WHERE id = %s",
            [*values, sid],
        )


def main():
    args = parse_args(__doc__, [100_000, 1_000_000])
    odoo, registry = open_registry(args.database)
    from odoo.addons.isp_radius.models.isp_radius_server import (
        TRACKING_DDL,
    )

    params = postgres_params(odoo)
    print(f"{'updates':>10} {'sessions':>9} {'seconds':>9} {'rows/s':>10} {'peak RSS MiB':>13}")
    for count in args.counts:
        sessions = count // ROUNDS
        name = f"isp_bench_radius_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(dbname="postgres", **params)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{name}"')
        radius = psycopg2.connect(dbname=name, **params)
        radius.autocommit = True
        rcr = radius.cursor()
        rcr.execute(SCHEMA.read_text())
        rcr.execute(TRACKING_DDL)
        server_id = state = None
        try:
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
                state = snapshot(cr)
                usernames = (
                    env["isp.subscription"].search([("state", "=", "active")]).mapped("pppoe_username")
                )
                server = env["isp.radius.server"].create(
                    {
                        "name": "bench",
                        "db_host": params["host"] or "localhost",
                        "db_port": params["port"],
                        "db_name": name,
                        "db_user": params.get("user", "odoo"),
                        "db_password": params.get("password"),
                        "db_sslmode": "disable",
                        "tz": "UTC",
                    }
                )
                server_id = server.id
                cr.commit()
                rcr.execute(
                    """
                    INSERT INTO radacct (acctsessionid, acctuniqueid, username, nasipaddress, acctstarttime,
                                         acctupdatetime, acctsessiontime, acctinputoctets, acctoutputoctets)
                    SELECT 's' || n, md5(n::text), (%s::text[])[1 + n %% %s], '10.0.0.1', now(), now(), 0, 0, 0
                      FROM generate_series(1, %s) AS n
                    """,
                    [usernames, len(usernames), sessions],
                )
                before = usage_totals(cr)
                elapsed = 0.0
                read = 0
                for _round in range(ROUNDS):
                    # Small increments: no subscription crosses its cap because of the benchmark.
                    rcr.execute(
                        """UPDATE radacct SET acctupdatetime = now(), acctsessiontime = acctsessiontime + 300,
                                  acctinputoctets = acctinputoctets + 1000 + radacctid % 100,
                                  acctoutputoctets = acctoutputoctets + 20000 + radacctid % 7919"""
                    )
                    started = time.perf_counter()
                    read += server._read_accounting(commit=True)
                    cr.commit()
                    elapsed += time.perf_counter() - started
                peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                # Fast and right: the usage added is what the sessions' counters say, to the byte.
                rcr.execute(
                    "SELECT sum(acctoutputoctets), sum(acctinputoctets), sum(acctsessiontime) FROM radacct"
                )
                expected = tuple(int(value) for value in rcr.fetchone())
                added = tuple(after - start for after, start in zip(usage_totals(cr), before, strict=True))
                if added != expected:
                    raise SystemExit(f"Usage added {added} (down, up, seconds), radacct says {expected}")
                print(
                    f"{read:>10} {sessions:>9} {elapsed:>9.1f} {read / elapsed:>10.0f} {peak:>13.0f}",
                    flush=True,
                )
        finally:
            if state:
                with registry.cursor() as cr:
                    restore(cr, server_id, state)
                # Give the space of the deleted sessions back, so that each run starts alike.
                odoo_db = psycopg2.connect(dbname=args.database, **params)
                odoo_db.autocommit = True
                odoo_db.cursor().execute("VACUUM isp_radius_session, isp_subscription, isp_usage_daily")
                odoo_db.close()
            radius.close()
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()


if __name__ == "__main__":
    main()
