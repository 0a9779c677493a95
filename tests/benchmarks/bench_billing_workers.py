# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Benchmark: the invoicing and dunning runs shared by real Odoo workers (queue_job).

    .local/venv/bin/python tests/benchmarks/bench_billing_workers.py [N ...] [--workers W]
    # default: 1000, 2 workers

For each N: copies the `serve` database (CREATE DATABASE ... TEMPLATE, so
nothing touches the demo), makes the company, customers, subscriptions and a
month of usage as `bench_billing.py` does and commits them, enqueues the
invoicing run as the scheduled action does, then starts Odoo on the copy with
W HTTP workers and queue_job's job runner (channel ``root:W``). The run's time
is from its first job's start to its last job's end, read from the
``queue_job`` table. The dunning run eleven days after the due date follows
the same way. Network provisioners are switched off in the copy, so that only
billing jobs run. Odoo is stopped and the copy dropped at the end, with its
filestore folder (also when the run fails). Prints, for
each N, seconds and subscriptions per second of each run, and the largest resident
memory of one Odoo process (``--no-dunning`` times the invoicing run alone).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta

import psutil
import psycopg2
from bench_billing import INVOICE_DATE, setup_company
from common import CONF, ROOT, odoo_source, postgres_params

VENV_PYTHON = ROOT / ".local" / "venv" / "bin" / "python"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_jobs(cr, since_id, method, timeout, server, peak):
    """(seconds from first start to last end, done, failed) of the ``method`` jobs after ``since_id``.

    ``peak["rss"]`` is raised to the largest resident memory of one Odoo process seen meanwhile.
    """
    deadline = time.monotonic() + timeout
    root = psutil.Process(server.pid)
    while time.monotonic() < deadline:
        for process in [root, *root.children(recursive=True)]:
            try:
                peak["rss"] = max(peak["rss"], process.memory_info().rss)
            except psutil.NoSuchProcess:
                pass
        cr.execute(
            "SELECT count(*) FILTER (WHERE state NOT IN ('done', 'failed', 'cancelled')),"
            " count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'failed'),"
            " extract(epoch FROM max(date_done) - min(date_started))"
            " FROM queue_job WHERE id > %s AND method_name = %s",
            [since_id, method],
        )
        pending, done, failed, seconds = cr.fetchone()
        if not pending:
            return float(seconds or 0), done, failed
        time.sleep(0.5)
    raise SystemExit(f"jobs still pending after {timeout} s")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("counts", nargs="*", type=int, default=[1000])
    parser.add_argument("--database", default=os.environ.get("ISP_DB", "isp"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-dunning", action="store_true", help="time the invoicing run only")
    args = parser.parse_args()
    sys.path.insert(0, odoo_source())
    import odoo

    odoo.tools.config.parse_config(["-c", str(CONF), "--log-level", "warn"])
    params = postgres_params(odoo)
    print(
        f"{'subs':>7} {'workers':>7} {'invoice s':>10} {'inv subs/s':>11} {'dunning s':>10} {'dun subs/s':>11}"
        f" {'worker MiB':>11}"
    )
    for count in args.counts:
        copy = f"isp_bench_workers_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(dbname="postgres", **params)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{copy}" TEMPLATE "{args.database}"')
        server = None
        try:
            registry = odoo.modules.registry.Registry(copy)
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
                # Billing alone: no network provisioning jobs compete for the workers.
                env["isp.provisioner"].search([]).active = False
                env, company, _subscriptions = setup_company(env, count)
                cr.execute("SELECT COALESCE(max(id), 0) FROM queue_job")
                first_job = cr.fetchone()[0]
                env["isp.invoice.run"].create({"date": INVOICE_DATE, "company_id": company.id}).action_start()
                cr.commit()
            odoo.modules.registry.Registry.delete(copy)
            port = free_port()
            server = subprocess.Popen(
                [
                    str(VENV_PYTHON),
                    str(odoo_source() + "/odoo-bin"),
                    "-c",
                    str(CONF),
                    "-d",
                    copy,
                    "--db-filter",
                    f"^{copy}$",
                    f"--workers={args.workers}",
                    "--max-cron-threads=0",
                    f"--http-port={port}",
                    "--limit-time-real=7200",
                    "--limit-time-cpu=7200",
                    "--limit-memory-soft=4294967296",
                    "--limit-memory-hard=5368709120",
                    "--log-level=warn",
                ],
                env=dict(
                    os.environ, ODOO_QUEUE_JOB_CHANNELS=f"root:{args.workers}", ODOO_QUEUE_JOB_PORT=str(port)
                ),
                stdout=subprocess.DEVNULL,
                stderr=sys.stderr,
                start_new_session=True,
            )
            watch = psycopg2.connect(dbname=copy, **params)
            watch.autocommit = True
            peak = {"rss": 0}
            invoice_seconds, _done, failed = wait_for_jobs(
                watch.cursor(), first_job, "_invoice_batch", 7200, server, peak
            )
            assert not failed, f"{failed} invoicing jobs failed"
            dunning = "-", "-"
            if not args.no_dunning:
                registry = odoo.modules.registry.Registry(copy)
                with registry.cursor() as cr:
                    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                    cr.execute("SELECT COALESCE(max(id), 0) FROM queue_job")
                    first_job = cr.fetchone()[0]
                    env["isp.dunning"].with_company(company.id).run(INVOICE_DATE + timedelta(days=11))
                    cr.commit()
                dunning_seconds, _done, failed = wait_for_jobs(
                    watch.cursor(), first_job, "_run_batch", 7200, server, peak
                )
                assert not failed, f"{failed} dunning jobs failed"
                dunning = f"{dunning_seconds:.1f}", f"{count / dunning_seconds:.0f}"
            watch.close()
            print(
                f"{count:>7} {args.workers:>7} {invoice_seconds:>10.1f} {count / invoice_seconds:>11.0f}"
                f" {dunning[0]:>10} {dunning[1]:>11} {peak['rss'] / 2**20:>11.0f}",
                flush=True,
            )
        finally:
            if server:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(60)
            odoo.modules.registry.Registry.delete(copy)
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            admin.close()
            # Odoo makes the copy's filestore folder (assets, attachments); nothing drops it with the database.
            shutil.rmtree(odoo.tools.config.filestore(copy), ignore_errors=True)


if __name__ == "__main__":
    main()
