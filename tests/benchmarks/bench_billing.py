# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Benchmark: the invoicing run and the dunning run for N subscriptions.

    .local/venv/bin/python tests/benchmarks/bench_billing.py [N ...] [--no-dunning]   # default: 1000 10000

Needs the database made by `python3 setup/isp.py serve` (isp_subscription installed).
For each N: a new company with a chart of accounts, N customers each with an
active postpaid subscription started a month before, and a month of daily usage
(some of it beyond the cap). Then the invoicing run (its jobs run one after the
other in this process: one worker) and the dunning run eleven days after the
due date (reminder, SMS, late fee and suspension for everyone). Everything is
rolled back at the end. Prints, for each N, seconds and subscriptions per
second of each run, and the process's peak resident memory (``--no-dunning``
times the invoicing run alone).
"""

import resource
import time
from datetime import date, timedelta

from common import open_registry, parse_args

PERIOD_START = date(2026, 10, 1)
INVOICE_DATE = date(2026, 11, 1)


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_company(env, count):
    company = env["res.company"].create({"name": f"Billing Benchmark {count}"})
    env["account.chart.template"].try_loading("generic_coa", company=company, install_demo=False)
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    result = env["isp.demo.generator"]._generate(count, company_id=company.id, billed_up_to_date=False)
    subscriptions = result["subscriptions"].with_env(env)
    if subscriptions.filtered(lambda s: s.state == "suspended"):
        subscriptions.filtered(lambda s: s.state == "suspended")._reconnect()
    subscriptions.write({"date_start": PERIOD_START, "payment_mode": "postpaid", "billing_period": "monthly"})
    rows = [
        (sid, PERIOD_START + timedelta(days=day), 7 * 10**9 + sid % 5 * 10**9, 10**9, 3600 * 3)
        for sid in subscriptions.ids
        for day in range(31)
    ]
    env["isp.usage.daily"]._add_usage(rows)
    env["isp.dunning.step"].create(
        [
            {"company_id": company.id, "days_after_due": days, "action": action}
            for days, action in [(1, "reminder_email"), (3, "sms"), (7, "late_fee"), (10, "suspend")]
        ]
    )
    company.write({"isp_late_fee_fixed": 10000})
    env.flush_all()
    # A real database has its statistics from autovacuum; here the rows are not even committed.
    env.cr.execute("ANALYZE")
    return env, company, subscriptions


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def main():
    args = parse_args(__doc__, [1000, 10000], {"--no-dunning": "time the invoicing run only"})
    odoo, registry = open_registry(args.database)
    print(
        f"{'subs':>7} {'setup s':>8} {'invoice s':>10} {'inv subs/s':>11} {'invoices':>9}"
        f" {'dunning s':>10} {'dun subs/s':>11} {'peak MiB':>9}"
    )
    for count in args.counts:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            (env, company, subscriptions), setup_seconds = timed(
                lambda env=env, count=count: setup_company(env, count)
            )

            def invoice(env=env, company=company):
                run = env["isp.invoice.run"].create({"date": INVOICE_DATE, "company_id": company.id})
                batches = run._partners_due()
                run.batch_count = -(-len(batches) // 200)
                for start in range(0, len(batches), 200):
                    run._invoice_batch(batches[start : start + 200])
                    # Each job starts with an empty cache, as in a worker.
                    env.flush_all()
                    env.invalidate_all()
                return run

            run, invoice_seconds = timed(invoice)
            cr.execute("ANALYZE")
            invoices = len(run.invoice_ids)

            def dun(env=env, company=company, run=run):
                dunning = env["isp.dunning"].with_company(company)
                moves = env["account.move"].search([("isp_invoice_run_id", "=", run.id)], order="id")
                for start in range(0, len(moves), 200):
                    dunning._run_batch(moves.ids[start : start + 200], INVOICE_DATE + timedelta(days=11))
                    env.flush_all()
                    env.invalidate_all()

            assert invoices == count, (invoices, count)
            dunning = "-", "-"
            if not args.no_dunning:
                _, dunning_seconds = timed(dun)
                suspended = subscriptions.filtered(lambda s: s.state == "suspended")
                assert len(suspended) == count, len(suspended)
                dunning = f"{dunning_seconds:.1f}", f"{count / dunning_seconds:.0f}"
            print(
                f"{count:>7} {setup_seconds:>8.0f} {invoice_seconds:>10.1f} {count / invoice_seconds:>11.0f}"
                f" {invoices:>9} {dunning[0]:>10} {dunning[1]:>11} {peak_mib():>9.0f}",
                flush=True,
            )
            cr.rollback()


if __name__ == "__main__":
    main()
