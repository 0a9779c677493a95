# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Load test of the customer portal: concurrent portal customers open My services, one
service and its Usage page (isp_portal). Prints the median and 95th percentile per page.

Customers log in first (Odoo hashes each password, hundreds of ms of CPU); the pages are
requested once every customer is logged in, and ``--reset-stats`` leaves the logins out of the
figures of the pages.

1. Prepare the customers (Odoo's venv, on a database with isp_portal installed): a portal
   user for each of the first USERS subscriptions, password ``portal-load``, and 120 days of
   daily usage for each (four usage periods). ``--generate N`` first makes N customers with
   subscriptions with the demo generator (``isp.demo.generator``), e.g. 50000 for the
   issue's benchmark data. The logins go to ``.local/locust_portal_users.json``::

    .local/venv/bin/python tests/benchmarks/locust_portal.py prepare --database isp --users 50 \
        [--generate 50000]

2. Serve that database with 2 workers, as in production::

    .local/venv/bin/python $ODOO/odoo-bin -c .local/odoo.conf -d isp --db-filter '^isp$' \
        --workers 2 --http-port 8069

3. Run locust from its own virtual environment (locust pins Werkzeug and gevent versions
   that Odoo's venv must not get): ``python3 -m venv .local/locust-venv &&
   .local/locust-venv/bin/pip install locust``, then::

    .local/locust-venv/bin/locust -f tests/benchmarks/locust_portal.py --headless \
        --users 50 --spawn-rate 10 --run-time 150s --reset-stats --host http://127.0.0.1:8069 \
        --only-summary

   The summary's "Response time percentiles" table gives the 50% (median) and 95% columns
   for ``/my/services``, ``/my/services/[id]`` and ``/my/services/[id]/usage``.
"""

import itertools
import json
import os
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USERS_FILE = Path(os.environ.get("ISP_LOCUST_USERS", ROOT / ".local" / "locust_portal_users.json"))
PASSWORD = "portal-load"
LOGIN_PREFIX = "portal-load-"
USAGE_DAYS = 120
LOGIN_WAIT = 120  # seconds a logged-in customer waits for the others before requesting pages
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')

try:
    import gevent.event
    from locust import HttpUser, between, task
except ImportError:  # preparing the data with Odoo's interpreter
    HttpUser = None


def prepare(argv):
    """Portal users and usage history for the load test (see the module's docstring)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import argparse

    from common import open_registry

    parser = argparse.ArgumentParser(description="Prepare the portal load test's customers.")
    parser.add_argument("--database", default=os.environ.get("ISP_DB", "isp"))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--generate", type=int, default=0, help="customers to generate first (demo generator)"
    )
    args = parser.parse_args(argv)
    odoo, registry = open_registry(args.database)
    with registry.cursor() as cr:
        env = odoo.api.Environment(
            cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "no_reset_password": True}
        )
        if args.generate:
            company = env["res.company"].create({"name": f"Portal Load ISP {args.generate}"})
            env["isp.demo.generator"]._generate(args.generate, company_id=company.id)
            env.flush_all()
        subscriptions = env["isp.subscription"].search(
            [("state", "in", ("active", "suspended"))], order="id desc", limit=args.users
        )
        portal = env.ref("base.group_portal")
        users = []
        today = date.today()
        usage = []
        for index, subscription in enumerate(subscriptions):
            login = f"{LOGIN_PREFIX}{index}"
            user = env["res.users"].with_context(active_test=False).search([("login", "=", login)])
            values = {
                "partner_id": subscription.partner_id.id,
                "password": PASSWORD,
                "active": True,
                "company_id": subscription.company_id.id,
                "company_ids": [(6, 0, subscription.company_id.ids)],
            }
            if user:
                user.write(values)
            else:
                env["res.users"].create(
                    {
                        **values,
                        "login": login,
                        "name": subscription.partner_id.name,
                        "groups_id": [(6, 0, portal.ids)],
                    }
                )
            users.append({"login": login, "subscription_id": subscription.id})
            if not env["isp.usage.daily"].search_count([("subscription_id", "=", subscription.id)], limit=1):
                rng = random.Random(subscription.id)
                usage += [
                    (
                        subscription.id,
                        today - timedelta(days=day),
                        rng.uniform(1e9, 6e9),
                        rng.uniform(1e8, 8e8),
                        7200,
                    )
                    for day in range(USAGE_DAYS)
                    if today - timedelta(days=day) >= subscription.date_start
                ]
        env["isp.usage.daily"]._add_usage(usage)
        cr.commit()
    USERS_FILE.parent.mkdir(parents=True, exist_ok=True)
    USERS_FILE.write_text(json.dumps(users, indent=1))
    print(f"{len(users)} portal customers ({len(usage)} usage days added) -> {USERS_FILE}")


if HttpUser is not None:
    CUSTOMERS = json.loads(USERS_FILE.read_text()) if USERS_FILE.is_file() else []
    NEXT_CUSTOMER = itertools.count()
    LOGGED_IN = itertools.count(1)
    # Logging in hashes a password (pbkdf2, hundreds of ms of CPU): the pages are measured once
    # every customer is logged in, as customers who come back to the portal are.
    ALL_LOGGED_IN = gevent.event.Event()

    class PortalCustomer(HttpUser):
        """A customer who logs in, then looks at their services and usage."""

        wait_time = between(1, 3)

        def on_start(self):
            if not CUSTOMERS:
                raise RuntimeError(f"no customers in {USERS_FILE}: run `... locust_portal.py prepare` first")
            customer = CUSTOMERS[next(NEXT_CUSTOMER) % len(CUSTOMERS)]
            self.subscription_id = customer["subscription_id"]
            # Odoo's prefork workers serve one connection at a time: an idle keep-alive
            # connection would hold a worker until its socket times out. A reverse proxy
            # (nginx) in front of Odoo does the same: one request per upstream connection.
            self.client.headers["Connection"] = "close"
            for _attempt in range(5):
                if self.login(customer["login"]):
                    break
            else:
                raise RuntimeError(f"{customer['login']} could not log in")
            if next(LOGGED_IN) >= self.environment.parsed_options.num_users:
                ALL_LOGGED_IN.set()
            ALL_LOGGED_IN.wait(timeout=LOGIN_WAIT)
            gevent.sleep(random.uniform(0, 3))

        def login(self, login):
            page = self.client.get("/web/login", name="/web/login")
            token = page.ok and CSRF_RE.search(page.text)
            if not token:
                return False
            response = self.client.post(
                "/web/login",
                data={"login": login, "password": PASSWORD, "csrf_token": token.group(1), "redirect": "/my"},
                name="/web/login (POST)",
            )
            return response.ok and "/web/login" not in response.url

        @task(2)
        def services(self):
            self.client.get("/my/services", name="/my/services")

        @task(1)
        def service(self):
            self.client.get(f"/my/services/{self.subscription_id}", name="/my/services/[id]")

        @task(2)
        def usage(self):
            self.client.get(f"/my/services/{self.subscription_id}/usage", name="/my/services/[id]/usage")


if __name__ == "__main__":
    if sys.argv[1:2] != ["prepare"]:
        raise SystemExit(__doc__)
    prepare(sys.argv[2:])
