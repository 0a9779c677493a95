# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Benchmark: an outage incident told to N affected customers (email + SMS through the
notification service), then resolved with automatic outage credits.

    .local/venv/bin/python tests/benchmarks/bench_notify.py [N ...] [--database DB]   # default: 1000

Needs a database with isp_helpdesk installed (`python3 setup/isp.py serve` makes `isp`).
Each N goes into a new company (the demo generator: customers with a subscription below
its points of presence, each given an email address) inside a transaction that is rolled
back, so the database is left as it was. Prints, for opening the incident on the company's
top sites (affected subscriptions, one email rendered in each customer's language and
queued, one SMS queued in E.164, one note per customer) and for resolving it (the same,
plus one credit per subscription): customers told, seconds and SQL queries.
"""

import time

from common import open_registry, parse_args


def main():
    args = parse_args(__doc__, [1000])
    odoo, registry = open_registry(args.database)
    print(f"{'customers':>10} {'step':>8} {'seconds':>9} {'queries':>8} {'emails':>7} {'texts':>6}")
    for count in args.counts:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            company = env["res.company"].create(
                {"name": f"Notify Benchmark {count}", "email": "noc@bench-isp.example"}
            )
            env = env(context={"allowed_company_ids": [company.id], "tracking_disable": True})
            result = env["isp.demo.generator"]._generate(count, company_id=company.id)
            customers = result["customers"]
            env.flush_all()
            cr.execute(
                "UPDATE res_partner SET email = 'customer' || id || '@bench-isp.example',"
                " email_normalized = 'customer' || id || '@bench-isp.example' WHERE id = ANY(%s)",
                [customers.ids],
            )
            env.invalidate_all()
            company.isp_outage_credit = "automatic"
            sites = env["isp.site"].search([("company_id", "=", company.id), ("parent_id", "=", False)])
            incident = env["isp.incident"].create(
                {"name": "Benchmark outage", "site_ids": [(6, 0, sites.ids)]}
            )
            env.flush_all()
            cr.execute("ANALYZE isp_subscription, res_partner, isp_site")
            for step in ("open", "resolve"):
                env.invalidate_all()
                mails_before = env["mail.mail"].search_count([])
                texts_before = env["isp.sms.message"].search_count([])
                queries = cr.sql_log_count
                started = time.perf_counter()
                getattr(incident, f"action_{step}")()
                env.flush_all()
                elapsed = time.perf_counter() - started
                queries = cr.sql_log_count - queries
                mails = env["mail.mail"].search_count([]) - mails_before
                texts = env["isp.sms.message"].search_count([]) - texts_before
                print(
                    f"{incident.customer_count:>10} {step:>8} {elapsed:>9.2f} {queries:>8} {mails:>7} {texts:>6}"
                )
            print(f"{'':>10} credits: {len(incident.credit_ids)}", flush=True)
            cr.rollback()


if __name__ == "__main__":
    main()
