# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Benchmark: adding daily usage deltas (what RADIUS/RouterOS accounting feeds).

    .local/venv/bin/python tests/benchmarks/bench_usage.py [ROWS ...]   # default: 100000 1000000

Needs the database made by `python3 setup/isp.py serve` with isp_subscription
installed (500 demo subscriptions). Deltas are spread over the subscriptions
and the last 30 days, sent in batches of 10,000 as an accounting reader would,
inside a transaction that is rolled back. Prints rows per second, total time and
peak Python memory.
"""

import random
import time
import tracemalloc
from datetime import date, timedelta

from common import open_registry, parse_args

BATCH = 10_000


def main():
    args = parse_args(__doc__, [100_000, 1_000_000])
    odoo, registry = open_registry(args.database)
    rng = random.Random(1)
    today = date.today()
    print(f"{'rows':>10} {'seconds':>9} {'rows/s':>10} {'peak MiB':>9}")
    for count in args.counts:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            ids = env["isp.subscription"].search([("state", "=", "active")]).ids
            tracemalloc.start()
            started = time.perf_counter()
            for start in range(0, count, BATCH):
                rows = [
                    (
                        rng.choice(ids),
                        today - timedelta(days=rng.randrange(30)),
                        rng.randrange(10**8),
                        rng.randrange(10**7),
                        rng.randrange(600),
                    )
                    for _i in range(min(BATCH, count - start))
                ]
                env["isp.usage.daily"]._add_usage(rows)
            env.flush_all()
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(f"{count:>10} {elapsed:>9.1f} {count / elapsed:>10.0f} {peak:>9.0f}", flush=True)
            cr.rollback()


if __name__ == "__main__":
    main()
