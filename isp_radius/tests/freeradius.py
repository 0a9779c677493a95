# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""A real FreeRADIUS for tests: Debian's ``freeradius`` on loopback, SQL in PostgreSQL.

Plain Python (no Odoo import), shared by the Odoo tests of ``isp_radius`` and
the pytest suites in ``tests/radius/``. The server runs in the foreground
(``-X``) with a copy of Debian's configuration, changed only where a test
server must differ from a production one:

- one virtual server listening on two free 127.0.0.1 UDP ports (auth, acct),
  no ``inner-tunnel``, no ``eap`` (it needs the private certificates);
- ``proxy_requests = no`` (otherwise it binds a random port on all addresses)
  and ``reject_delay = 0`` (otherwise each reject takes a second);
- the ``sql`` module on the PostgreSQL driver with Debian's own
  ``queries.conf``, clients read from the ``nas`` table, and the
  ``radpostauth`` query storing no password (as the addon's readme asks of
  production servers too). ``store_passwords=True`` keeps Debian's own query,
  which stores the password of every login, the wrong ones too.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

RADDB = Path("/etc/freeradius/3.0")
SQL_DIR = RADDB / "mods-config/sql/main/postgresql"
SCHEMA = SQL_DIR / "schema.sql"
BINARY = shutil.which("freeradius") or "/usr/sbin/freeradius"
MODULES = ("always", "attr_filter", "expr", "pap", "preprocess")

SITE = """
server default {
    listen {
        type = auth
        ipaddr = 127.0.0.1
        port = %(auth_port)d
    }
    listen {
        type = acct
        ipaddr = 127.0.0.1
        port = %(acct_port)d
    }
    authorize {
        preprocess
        sql
        pap
    }
    authenticate {
        Auth-Type PAP {
            pap
        }
    }
    preacct {
        preprocess
        acct_unique
    }
    accounting {
        sql
    }
    session {
        sql
    }
    post-auth {
        sql
        Post-Auth-Type REJECT {
            sql
            attr_filter.access_reject
        }
    }
}
"""

SQL_MODULE = """
sql {
    dialect = "postgresql"
    driver = "rlm_sql_postgresql"
    postgresql {
        send_application_name = yes
    }
    server = "%(host)s"
    port = %(port)d
    login = "%(user)s"
    password = "%(password)s"
    radius_db = "%(dbname)s"
    acct_table1 = "radacct"
    acct_table2 = "radacct"
    postauth_table = "radpostauth"
    authcheck_table = "radcheck"
    groupcheck_table = "radgroupcheck"
    authreply_table = "radreply"
    groupreply_table = "radgroupreply"
    usergroup_table = "radusergroup"
    delete_stale_sessions = yes
    read_clients = yes
    client_table = "nas"
    group_attribute = "SQL-Group"
    pool {
        start = 1
        min = 1
        max = 4
        spare = 1
        uses = 0
        retry_delay = 1
        lifetime = 0
        idle_timeout = 60
    }
    $INCLUDE ${modconfdir}/${.:name}/main/${dialect}/queries.conf
}
"""


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def schema_sql():
    """Debian's PostgreSQL schema of the FreeRADIUS tables."""
    return SCHEMA.read_text()


class FreeRadius:
    """A FreeRADIUS server for one test: ``start()``, ``radtest()``, ``radclient()``, ``stop()``.

    ``db`` holds the libpq parameters of a database that has Debian's schema:
    ``host`` (a host name or a unix socket folder), ``port``, ``dbname``,
    ``user``, ``password``. Clients (NAS) come from that database's ``nas``
    table when the server starts. ``store_passwords``: keep Debian's
    ``radpostauth`` query, which stores every password typed.
    """

    def __init__(self, db, store_passwords=False):
        self.db = db
        self.store_passwords = store_passwords
        self.auth_port = free_udp_port()
        self.acct_port = free_udp_port()
        self.workdir = None
        self.process = None

    # -- lifecycle -------------------------------------------------------

    def start(self, timeout=15):
        self.workdir = Path(tempfile.mkdtemp(prefix="isp-freeradius-"))
        raddb = self._write_config()
        self.log_path = self.workdir / "radiusd.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [BINARY, "-X", "-d", str(raddb), "-n", "radiusd"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "Ready to process requests" in self.log():
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        output = self.log()
        self.stop()
        raise RuntimeError(f"FreeRADIUS did not start:\n{output[-4000:]}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def log(self):
        try:
            return self.log_path.read_text(errors="replace")
        except (AttributeError, OSError):
            return ""

    # -- configuration ---------------------------------------------------

    def _write_config(self):
        raddb = self.workdir / "raddb"
        shutil.copytree(
            RADDB,
            raddb,
            symlinks=True,
            ignore=shutil.ignore_patterns("certs", "mods-enabled", "sites-enabled"),
        )
        (self.workdir / "log").mkdir()
        (self.workdir / "run").mkdir()
        conf = (raddb / "radiusd.conf").read_text()
        replacements = {
            r"(?m)^logdir = .*$": f"logdir = {self.workdir / 'log'}",
            r"(?m)^raddbdir = .*$": f"raddbdir = {raddb}",
            r"(?m)^run_dir = .*$": f"run_dir = {self.workdir / 'run'}",
            r"(?m)^(\s*)(user|group) = freerad$": r"\1# \2 = freerad",
            r"(?m)^(\s*)reject_delay = .*$": r"\1reject_delay = 0",
            r"(?m)^(\s*)proxy_requests\s*=.*$": r"\1proxy_requests = no",
        }
        for pattern, replacement in replacements.items():
            conf = re.sub(pattern, replacement, conf)
        (raddb / "radiusd.conf").write_text(conf)
        (raddb / "clients.conf").write_text("# clients come from the sql module's nas table\n")

        modules = raddb / "mods-enabled"
        modules.mkdir()
        for name in MODULES:
            os.symlink(f"../mods-available/{name}", modules / name)
        db = {"port": 5432, "password": "", **self.db}
        (modules / "sql").write_text(SQL_MODULE % db)

        queries_path = raddb / "mods-config/sql/main/postgresql/queries.conf"
        queries = queries_path.read_text()
        stored_password = "'%{%{User-Password}:-%{Chap-Password}}'"
        if stored_password not in queries:
            raise RuntimeError("Debian's radpostauth query changed: check the password column")
        if not self.store_passwords:
            queries_path.write_text(queries.replace(stored_password, "''"))

        sites = raddb / "sites-enabled"
        sites.mkdir()
        (sites / "default").write_text(SITE % {"auth_port": self.auth_port, "acct_port": self.acct_port})
        return raddb

    # -- clients ---------------------------------------------------------

    def radtest(self, username, password, secret):
        """``radtest`` (PAP) against the server: returns its output; raises on a timeout."""
        result = subprocess.run(
            ["radtest", "-t", "pap", username, password, f"127.0.0.1:{self.auth_port}", "0", secret],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if "Received Access-" not in result.stdout:
            raise RuntimeError(
                f"radtest got no answer:\n{result.stdout}{result.stderr}\n{self.log()[-3000:]}"
            )
        return result.stdout

    def radclient(self, attributes, secret, kind="acct"):
        """Send one packet with ``radclient``; ``attributes`` maps names to values."""
        port = self.acct_port if kind == "acct" else self.auth_port
        lines = "\n".join(f"{name} = {quote(value)}" for name, value in attributes.items())
        result = subprocess.run(
            ["radclient", "-x", "-r", "1", "-t", "5", f"127.0.0.1:{port}", kind, secret],
            input=lines + "\n",
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(f"radclient failed:\n{result.stdout}{result.stderr}\n{self.log()[-3000:]}")
        return result.stdout


def quote(value):
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace('"', '\\"') + '"'
