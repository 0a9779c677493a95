# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Benchmark: creating N ISP customers (with their network, and subscriptions when
isp_subscription is installed) through the ORM.

    .local/venv/bin/python tests/benchmarks/bench_customers.py [N ...]   # default: 1000 10000

Needs the database made by `python3 setup/isp.py serve` (isp_base installed).
Each N goes into a new company inside a transaction that is rolled back, so
the database is left as it was. Prints customers per second, total time and
peak Python memory for each N.
"""

import time
import tracemalloc

from common import open_registry, parse_args


def main():
    args = parse_args(__doc__, [1000, 10000])
    odoo, registry = open_registry(args.database)
    print(f"{'customers':>10} {'seconds':>9} {'customers/s':>12} {'peak MiB':>9}")
    for count in args.counts:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            company = env["res.company"].create({"name": f"Benchmark ISP {count}"})
            tracemalloc.start()
            started = time.perf_counter()
            result = env["isp.demo.generator"]._generate(count, company_id=company.id)
            env.flush_all()
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            assert len(result["customers"]) == count
            print(f"{count:>10} {elapsed:>9.1f} {count / elapsed:>12.0f} {peak:>9.0f}", flush=True)
            cr.rollback()


if __name__ == "__main__":
    main()
