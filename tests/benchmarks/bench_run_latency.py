"""Benchmark: what staff and paying customers wait for while an invoicing run's jobs are running.

    .local/venv/bin/python tests/benchmarks/bench_run_latency.py [N ...] [--workers W] [--staff K]
    # default: 10000 subscriptions, 2 billing jobs at once, 20 staff clients

For each N: copies the `serve` database (CREATE DATABASE ... TEMPLATE, so nothing touches the
demo), makes a company with N customers, subscriptions and a month of usage as
`bench_billing.py` does, suspends for debt a few of the demo company's subscriptions (the
"customers who pay"), adds a billing user with a password, and commits. Then it starts Odoo on
the copy with real HTTP workers and queue_job's runner in per-database mode: no `channels`
line, `max_capacity` = W + 1 in the copy's configuration, so the channels of the database
(`root.isp_billing`, set to W; `root.isp_provisioning`) share the jobs, and W + 2 HTTP workers
(`--http-workers`) so that one is left for staff while the jobs run.

1. Staff: K threads, each an XML-RPC client logged in as the billing user, loop over what the
   web client sends: the subscriptions list (``web_search_read`` with the list view's fields,
   80 rows and the count), one subscription's form (``web_read`` with the form view's fields)
   and a search of customers by name (``name_search``), first for ``--baseline`` seconds with
   no job running, then from the start of the invoicing run until its last batch is done.
2. The run: the billing user creates and starts it over XML-RPC, as from the form.
3. Reconnect latency: ``--probe-delay`` seconds into the run, then every ``--probe-interval``
   seconds while its batches are running, the billing user reconnects one subscription
   suspended for debt (``action_reconnect``); the latency is from that call's return until none
   of the subscription's provisioning states is still *pending*, that is until its
   ``isp.provisioning._apply`` jobs have run (no router or RADIUS server is reachable: a job
   that ends *not served* or *retrying* has run all the same).

Everything goes to 127.0.0.1; every loop has a deadline. Odoo is stopped and the copy dropped at
the end, with its filestore folder and its configuration file, also when something fails.
Prints the configuration, then for each N: the run's time and rate, the reconnect latencies
(min/median/max, target at most 60 s) and, for each staff phase, calls, calls per second,
median and 95th percentile latency (target: p95 under 1 s during the run) and errors.
"""

import argparse
import configparser
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ET
import xmlrpc.client

import psycopg2
from bench_billing import INVOICE_DATE, setup_company
from common import CONF, ROOT, odoo_source, postgres_params

VENV_PYTHON = ROOT / ".local" / "venv" / "bin" / "python"
RUN_TIMEOUT = 7200  # seconds: the longest a run (and so any loop here) may take
PROBE_TIMEOUT = 600  # seconds a reconnect may wait for its provisioning job
RPC_TIMEOUT = 300


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TimeoutTransport(xmlrpc.client.Transport):
    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = RPC_TIMEOUT
        return connection


class Rpc:
    """One XML-RPC client (one per thread: ServerProxy is not thread-safe)."""

    def __init__(self, port, database, login, password):
        url = f"http://127.0.0.1:{port}/xmlrpc/2"
        self.database, self.password = database, password
        self.uid = xmlrpc.client.ServerProxy(f"{url}/common", transport=TimeoutTransport()).authenticate(
            database, login, password, {}
        )
        assert self.uid, f"{login} cannot log in"
        self.proxy = xmlrpc.client.ServerProxy(f"{url}/object", transport=TimeoutTransport(), allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(
            self.database, self.uid, self.password, model, method, list(args), kwargs
        )


def top_fields(arch):
    """Names of the fields of a view's arch, without those of the x2many lists inside it."""
    names = []

    def walk(node):
        for child in node:
            if child.tag == "field":
                names.append(child.get("name"))
            else:
                walk(child)

    walk(ET.fromstring(arch))
    return list(dict.fromkeys(names))


def specification(names, fields):
    """What the web client asks for these fields: relations with their display name."""
    spec = {}
    for name in names:
        if name not in fields:
            continue
        relational = fields[name]["type"] in ("many2one", "one2many", "many2many")
        spec[name] = {"fields": {"display_name": {}}} if relational else {}
    return spec


class Staff:
    """K staff clients looping over typical calls, each in its thread, while a phase lasts."""

    def __init__(self, port, database, login, password, count, company_id):
        self.clients = [Rpc(port, database, login, password) for _client in range(count)]
        self.threads = []
        self.context = {"allowed_company_ids": [company_id], "lang": "en_US"}
        rpc = self.clients[0]
        views = rpc("isp.subscription", "get_views", [[False, "list"], [False, "form"]], context=self.context)
        fields = views["models"]["isp.subscription"]["fields"]
        self.list_spec = specification(top_fields(views["views"]["list"]["arch"]), fields)
        self.form_spec = specification(top_fields(views["views"]["form"]["arch"]), fields)
        self.subscription_ids = rpc("isp.subscription", "search", [], limit=2000, context=self.context)
        names = rpc(
            "res.partner",
            "search_read",
            [("is_isp_customer", "=", True)],
            ["name"],
            limit=500,
            context=self.context,
        )
        self.terms = sorted({row["name"].split()[0][:4] for row in names if row["name"]})
        assert self.subscription_ids and self.terms, "no subscription or customer to look at"

    def calls(self, rpc, rng):
        context = self.context
        yield (
            "list",
            lambda: rpc(
                "isp.subscription",
                "web_search_read",
                [],
                self.list_spec,
                limit=80,
                count_limit=10001,
                context=context,
            ),
        )
        subscription_id = rng.choice(self.subscription_ids)
        yield (
            "form",
            lambda: rpc("isp.subscription", "web_read", [subscription_id], self.form_spec, context=context),
        )
        term = rng.choice(self.terms)
        yield (
            "customers",
            lambda: rpc(
                "res.partner",
                "name_search",
                name=term,
                args=[("is_isp_customer", "=", True)],
                limit=8,
                context=context,
            ),
        )

    def start(self, seconds):
        """Start a phase of at most ``seconds``; :meth:`stop` ends it."""
        self.results, self.lock, self.event = [], threading.Lock(), threading.Event()
        self.started = time.monotonic()
        deadline = self.started + seconds

        def client(rpc, rng):
            while True:
                for kind, call in self.calls(rpc, rng):
                    if self.event.is_set() or time.monotonic() > deadline:
                        return
                    begin = time.monotonic()
                    try:
                        call()
                        ok = True
                    except (OSError, xmlrpc.client.Error):
                        ok = False
                    end = time.monotonic()
                    with self.lock:
                        if not self.event.is_set():
                            self.results.append((kind, end - begin, ok))

        self.threads = [
            threading.Thread(target=client, args=(rpc, random.Random(number)), daemon=True)
            for number, rpc in enumerate(self.clients)
        ]
        for thread in self.threads:
            thread.start()

    def stop(self):
        """(results, seconds) of the phase: [(kind, seconds, ok), ...] of the calls ended before now."""
        with self.lock:
            self.event.set()
            seconds = time.monotonic() - self.started
        for thread in self.threads:
            thread.join(RPC_TIMEOUT)
        return self.results, seconds

    def phase(self, seconds):
        self.start(seconds)
        time.sleep(seconds)
        return self.stop()


def summary(results, seconds):
    times = sorted(latency for _kind, latency, ok in results if ok)
    errors = sum(1 for _kind, _latency, ok in results if not ok)
    if not times:
        return f"{0:>7} {'-':>8} {'-':>8} {'-':>8} {errors:>7}"
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    return f"{len(times):>7} {len(times) / seconds:>8.1f} {statistics.median(times):>8.3f} {p95:>8.3f} {errors:>7}"


def billing_progress(cr, since_id):
    """(invoicing batches not finished, started and not finished) since ``since_id``."""
    cr.execute(
        "SELECT count(*) FILTER (WHERE state NOT IN ('done', 'failed', 'cancelled')),"
        " count(*) FILTER (WHERE state = 'started')"
        " FROM queue_job WHERE id > %s AND method_name = '_invoice_batch'",
        [since_id],
    )
    return cr.fetchone()


def setup(odoo, copy, count, args, login, password):
    """Commit the benchmark's data in the copy: (bench company id, main company id, probe ids)."""
    registry = odoo.modules.registry.Registry(copy)
    with registry.cursor() as cr:
        cr.execute(
            "UPDATE queue_job_channel SET capacity = %s WHERE complete_name = 'root.isp_billing'",
            [args.workers],
        )
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        provisioners = env["isp.provisioner"].search([])
        # No provisioning jobs for the records made here: only the reconnections make some.
        provisioners.active = False
        env, company, _subscriptions = setup_company(env, count)
        main = env.ref("base.main_company")
        suspended = (
            env["isp.subscription"]
            .with_context(allowed_company_ids=[main.id])
            .search([("company_id", "=", main.id), ("state", "=", "active")], limit=args.probes, order="id")
        )
        assert len(suspended) == args.probes, f"only {len(suspended)} active subscriptions in {main.name}"
        suspended._suspend(reason="Benchmark: invoice overdue", for_debt=True)
        env["res.users"].create(
            {
                "name": "Benchmark Billing",
                "login": login,
                "password": password,
                "company_id": company.id,
                "company_ids": [odoo.Command.set([company.id, main.id])],
                "groups_id": [odoo.Command.link(env.ref("isp_base.group_isp_billing").id)],
            }
        )
        provisioners.active = True
        # Nothing leaves this machine: no router is managed over the API, and a RADIUS database
        # (none in the demo) would be looked for on a local port nobody listens on.
        cr.execute("UPDATE isp_nas SET routeros_managed = false")
        if "isp.radius.server" in env:
            env["isp.radius.server"].search([]).write({"db_host": "127.0.0.1", "db_port": free_port()})
        cr.commit()
        return company.id, main.id, suspended.ids


def write_config(folder, max_capacity):
    """The project's configuration, with per-database channels: no `channels`, a `max_capacity`."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(CONF)
    if not parser.has_section("queue_job"):
        parser.add_section("queue_job")
    parser.remove_option("queue_job", "channels")
    parser.set("queue_job", "max_capacity", str(max_capacity))
    path = os.path.join(folder, "odoo.conf")
    with open(path, "w") as file:
        parser.write(file)
    return path


def wait_for_http(port, server):
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("Odoo stopped while starting")
        try:
            xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common").version()
            return
        except OSError:
            time.sleep(1)
    raise SystemExit("Odoo did not answer in 300 s")


def probe(billing, cr, subscription_id, main_id):
    """Seconds from the reconnection's return until its provisioning jobs have run."""
    billing(
        "isp.subscription", "action_reconnect", [subscription_id], context={"allowed_company_ids": [main_id]}
    )
    returned = time.monotonic()
    deadline = returned + PROBE_TIMEOUT
    while time.monotonic() < deadline:
        cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'pending')"
            " FROM isp_provisioning_state WHERE subscription_id = %s",
            [subscription_id],
        )
        states, pending = cr.fetchone()
        if states and not pending:
            return time.monotonic() - returned
        time.sleep(0.2)
    raise SystemExit(
        f"subscription {subscription_id} not provisioned {PROBE_TIMEOUT} s after its reconnection"
    )


def measure(args, odoo, params, copy, port, count, start_server):
    """The figures of one size; ``start_server()`` starts Odoo once the data is committed."""
    login, password = f"bench_billing_{uuid.uuid4().hex[:6]}", secrets.token_urlsafe(16)
    company_id, main_id, probe_ids = setup(odoo, copy, count, args, login, password)
    odoo.modules.registry.Registry.delete(copy)
    odoo.sql_db.close_db(copy)
    start_server()
    watch = psycopg2.connect(dbname=copy, **params)
    watch.autocommit = True
    cr = watch.cursor()
    staff = None
    try:
        staff = Staff(port, copy, login, password, args.staff, company_id)
        # Each worker loads the registry on its first request: not part of the baseline.
        staff.phase(args.warmup)
        baseline = staff.phase(args.baseline)

        billing = Rpc(port, copy, login, password)
        cr.execute("SELECT COALESCE(max(id), 0) FROM queue_job")
        since_id = cr.fetchone()[0]
        context = {"allowed_company_ids": [company_id]}
        run_id = billing(
            "isp.invoice.run",
            "create",
            {"date": str(INVOICE_DATE), "company_id": company_id},
            context=context,
        )
        billing("isp.invoice.run", "action_start", [run_id], context=context)
        staff.start(RUN_TIMEOUT)
        run_started = time.monotonic()
        latencies, remaining = [], list(probe_ids)
        next_probe = run_started + args.probe_delay
        while time.monotonic() < run_started + RUN_TIMEOUT:
            pending, _running = billing_progress(cr, since_id)
            if not pending:
                break
            if remaining and time.monotonic() >= next_probe:
                next_probe = time.monotonic() + args.probe_interval
                latency = probe(billing, cr, remaining.pop(0), main_id)
                _pending, running = billing_progress(cr, since_id)
                latencies.append((latency, running))
            time.sleep(0.5)
        else:
            raise SystemExit(f"invoicing jobs still pending after {RUN_TIMEOUT} s")
        during = staff.stop()
        cr.execute(
            "SELECT count(*) FILTER (WHERE state = 'failed'), extract(epoch FROM max(date_done) - min(date_started))"
            " FROM queue_job WHERE id > %s AND method_name = '_invoice_batch'",
            [since_id],
        )
        failed, run_seconds = cr.fetchone()
        assert not failed, f"{failed} invoicing jobs failed"
        cr.execute(
            "SELECT channel, state, count(*), max(extract(epoch FROM date_started - date_created))"
            " FROM queue_job WHERE id > %s AND method_name = '_apply'"
            " AND model_name = 'isp.provisioning' GROUP BY 1, 2 ORDER BY 1, 2",
            [since_id],
        )
        provisioning_jobs = cr.fetchall()
    finally:
        if staff and staff.threads:
            staff.event.set()  # the clients end after their current call
        watch.close()
    return float(run_seconds or 0), latencies, baseline, during, provisioning_jobs


def report(count, run_seconds, latencies, baseline, during, provisioning_jobs):
    print(
        f"\n{count} subscriptions: invoicing run {run_seconds:.1f} s ({count / run_seconds:.0f} subscriptions/s)"
    )
    if latencies:
        seconds = [latency for latency, _running in latencies]
        print(
            f"  reconnect -> provisioned, {len(seconds)} times during the run: min {min(seconds):.1f} s,"
            f" median {statistics.median(seconds):.1f} s, max {max(seconds):.1f} s (target: at most 60 s)"
        )
        print(
            "  each (s; invoicing batches running when it was provisioned): "
            + ", ".join(f"{latency:.1f} ({running})" for latency, running in latencies)
        )
    else:
        print("  reconnect: the run ended before the first reconnection (see --probe-delay)")
    for channel, state, jobs, wait in provisioning_jobs:
        print(
            f"  provisioning jobs in {channel}: {jobs} {state}, longest wait for a slot {float(wait or 0):.1f} s"
        )
    print(f"  {'staff':<9} {'calls':>7} {'calls/s':>8} {'median s':>8} {'p95 s':>8} {'errors':>7}")
    print(f"  {'baseline':<9} {summary(*baseline)}")
    print(f"  {'during':<9} {summary(*during)}   (target: p95 under 1 s)", flush=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("counts", nargs="*", type=int, default=[10000])
    parser.add_argument("--database", default=os.environ.get("ISP_DB", "isp"))
    parser.add_argument(
        "--workers", type=int, default=2, help="billing jobs at once (root.isp_billing's capacity)"
    )
    parser.add_argument("--http-workers", type=int, help="Odoo's HTTP workers (default: workers + 2)")
    parser.add_argument("--staff", type=int, default=20, help="concurrent staff clients")
    parser.add_argument("--baseline", type=float, default=30, help="seconds of staff calls before the run")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of staff calls not counted, first")
    parser.add_argument("--probes", type=int, default=60, help="most reconnections during one run")
    parser.add_argument("--probe-delay", type=float, default=5, help="seconds into the run of the first one")
    parser.add_argument("--probe-interval", type=float, default=10, help="seconds between reconnections")
    args = parser.parse_args()
    max_capacity = args.workers + 1
    http_workers = args.http_workers or args.workers + 2
    sys.path.insert(0, odoo_source())
    import odoo

    odoo.tools.config.parse_config(["-c", str(CONF), "--log-level", "warn"])
    params = postgres_params(odoo)
    print(
        f"Odoo: {http_workers} HTTP workers, no cron thread; queue_job runner per database: no channels line,"
        f" max_capacity = {max_capacity}; channels root.isp_billing = {args.workers},"
        f" root.isp_provisioning as in the data; {args.staff} staff clients, {args.baseline:.0f} s baseline;"
        f" a reconnection {args.probe_delay:.0f} s into the run, then every {args.probe_interval:.0f} s"
        f" (at most {args.probes}); {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    for count in args.counts:
        copy = f"isp_bench_latency_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(dbname="postgres", **params)
        admin.autocommit = True
        admin.cursor().execute(f'CREATE DATABASE "{copy}" TEMPLATE "{args.database}"')
        folder = tempfile.mkdtemp(prefix="isp_bench_latency_")
        servers = []
        try:
            port = free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith("ODOO_QUEUE_JOB_")}
            env["ODOO_QUEUE_JOB_PORT"] = str(port)
            server_args = [
                str(VENV_PYTHON),
                str(odoo_source() + "/odoo-bin"),
                "-c",
                write_config(folder, max_capacity),
                "-d",
                copy,
                "--db-filter",
                f"^{copy}$",
                f"--workers={http_workers}",
                "--max-cron-threads=0",
                "--http-interface=127.0.0.1",
                f"--http-port={port}",
                f"--gevent-port={free_port()}",
                "--limit-time-real=7200",
                "--limit-time-cpu=7200",
                "--limit-memory-soft=4294967296",
                "--limit-memory-hard=5368709120",
                "--log-level=warn",
            ]

            def start_server(server_args=server_args, env=env, port=port, servers=servers):
                servers.append(
                    subprocess.Popen(
                        server_args,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=sys.stderr,
                        start_new_session=True,
                    )
                )
                wait_for_http(port, servers[0])

            report(count, *measure(args, odoo, params, copy, port, count, start_server))
        finally:
            for server in servers:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(60)
            odoo.modules.registry.Registry.delete(copy)
            odoo.sql_db.close_db(copy)
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
            admin.close()
            # Odoo makes the copy's filestore folder (assets, attachments); nothing drops it with the database.
            shutil.rmtree(odoo.tools.config.filestore(copy), ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
