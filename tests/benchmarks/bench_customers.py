"""Benchmark: creating N ISP customers (with their network, and subscriptions when
isp_subscription is installed) through the ORM.

    .local/venv/bin/python tests/benchmarks/bench_customers.py [N ...]   # default: 1000 10000

Needs the database made by `python3 setup/isp.py serve` (isp_base installed).
Each N goes into a new company inside a transaction that is rolled back, so
the database is left as it was. Prints customers per second, total time and
peak Python memory for each N.
"""

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def odoo_source():
    for line in (ROOT / ".local" / "odoo.conf").read_text().splitlines():
        if line.startswith("addons_path"):
            first = line.split("=", 1)[1].split(",")[0].strip()
            return str(Path(first).parents[1])
    raise SystemExit("run `python3 setup/isp.py serve --no-serve` first")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("counts", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--database", default=os.environ.get("ISP_DB", "isp"))
    args = parser.parse_args()

    sys.path.insert(0, odoo_source())
    import odoo  # Odoo's source root must be on sys.path first

    odoo.tools.config.parse_config(["-c", str(ROOT / ".local" / "odoo.conf"), "--log-level", "warn"])
    registry = odoo.modules.registry.Registry(args.database)
    print(f"{'customers':>10} {'seconds':>9} {'customers/s':>12} {'peak MiB':>9}")
    for count in args.counts:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            company = env["res.company"].create({"name": f"Benchmark ISP {count}"})
            tracemalloc.start()
            started = time.perf_counter()
            result = env["isp.demo.generator"].generate(count, company_id=company.id)
            env.flush_all()
            elapsed = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            assert len(result["customers"]) == count
            print(f"{count:>10} {elapsed:>9.1f} {count / elapsed:>12.0f} {peak:>9.0f}", flush=True)
            cr.rollback()


if __name__ == "__main__":
    main()
