#!/usr/bin/env python3
# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""One-command setup, serving and testing of the ISP addons on Odoo 18.0 Community.

    python3 setup/isp.py serve   # install everything, load the demo ISP, serve on :8069
    python3 setup/isp.py test    # run every test suite, one summary line at the end

Only the standard library is used here: this script runs before any virtual
environment exists. Everything it makes lives in ``.local/`` (ignored by git),
except the Odoo source tree, which is shared between checkouts in a cache folder.
See README.md for the environment variables it reads.
"""

import argparse
import ast
import hashlib
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
VENV = LOCAL / "venv"
VENV_PY = VENV / "bin" / "python"
LOGS = LOCAL / "logs"
ODOO_CONF = LOCAL / "odoo.conf"

ODOO_SERIES = "18.0"
ODOO_GIT_URL = os.environ.get("ISP_ODOO_GIT_URL", "https://github.com/odoo/odoo.git")
CACHE_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
ODOO_CACHE = CACHE_HOME / "isp-odoo" / f"odoo-{ODOO_SERIES}"

# OCA addons we build on, from PyPI: queue_job runs isp_subscription's background
# jobs; helpdesk_mgmt (tickets) and helpdesk_mgmt_sla (its SLA deadlines) serve
# isp_helpdesk, web_leaflet_lib isp_mapping's customer map.
OCA_PACKAGES = [
    "odoo-addon-helpdesk-mgmt==18.0.*",
    "odoo-addon-helpdesk-mgmt-sla==18.0.*",
    "odoo-addon-web-leaflet-lib==18.0.*",
    "odoo-addon-queue-job==18.0.*",
]
# Tools that only work with Odoo: installed with it, never in a venv without it
# (pytest-odoo imports odoo as soon as pytest loads its plugins).
ODOO_TOOLS = ["pytest-odoo==2.3.0"]
# Installed by earlier versions of this script, used by no addon: removed from old venvs
# so that they hold what a fresh one does.
OCA_PACKAGES_DROPPED = ["odoo-addon-contract", "odoo-addon-web-view-leaflet-map"]
# Odoo's own requirements that are not needed by our addons and do not
# install from wheels here (python-ldap compiles against libldap).
ODOO_REQUIREMENTS_SKIPPED = {"python-ldap", "pypiwin32", "rl-renderpm"}

# Debian packages per command the project needs on the machine.
SYSTEM_PACKAGES = {
    "serve": {"/usr/lib/postgresql": "postgresql", "git": "git"},
    "test": {
        "/usr/lib/postgresql": "postgresql",
        "git": "git",
        "chromium": "chromium",
        # a real RADIUS server, its PostgreSQL driver, and radtest/radclient
        "/usr/sbin/freeradius": "freeradius",
        "/usr/lib/freeradius/rlm_sql_postgresql.so": "freeradius-postgresql",
        "radclient": "freeradius-utils",
    },
}

# Odoo modules installed beside the isp_* addons: the demo payment provider, with which
# isp_portal's tests and tours pay (and the demo ISP's portal can be tried out).
EXTRA_MODULES = ["payment_demo"]

DEMO_DB = os.environ.get("ISP_DB", "isp")
TEST_DB = os.environ.get("ISP_TEST_DB", "isp_test")
HTTP_PORT = int(os.environ.get("ISP_HTTP_PORT", "8069"))
EMBEDDED_PG_PORT = int(os.environ.get("ISP_PG_PORT", "54329"))
DB_USER = "odoo"


def say(msg):
    print(f"[isp] {msg}", flush=True)


def fail(msg):
    print(f"[isp] ERROR: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


def run(cmd, check=True, quiet=False, **kw):
    if not quiet:
        say("$ " + " ".join(str(c) for c in cmd))
    return subprocess.run([str(c) for c in cmd], check=check, **kw)


def run_logged(cmd, logname):
    """Run a noisy command with its output in .local/logs; show it only on failure."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / logname
    say("$ " + " ".join(str(c) for c in cmd) + f"  (output: {log})")
    with open(log, "a") as out:
        proc = subprocess.run([str(c) for c in cmd], check=False, stdout=out, stderr=subprocess.STDOUT)
    if proc.returncode:
        print("".join(log.read_text(errors="replace").splitlines(keepends=True)[-40:]), file=sys.stderr)
        fail(f"command failed with exit code {proc.returncode}; full output in {log}")


def is_root():
    return os.geteuid() == 0


# --------------------------------------------------------------------------
# System packages
# --------------------------------------------------------------------------


def ensure_system_packages(command):
    missing = []
    for probe, pkg in SYSTEM_PACKAGES[command].items():
        found = Path(probe).exists() if probe.startswith("/") else shutil.which(probe)
        if not found:
            missing.extend(pkg.split())
    if not missing:
        return
    if is_root() and shutil.which("apt-get"):
        say(f"installing Debian packages: {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        run(["apt-get", "update", "-qq"], env=env)
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env)
    else:
        say(f"missing Debian packages (install them as root): apt-get install {' '.join(missing)}")


# --------------------------------------------------------------------------
# Odoo source tree
# --------------------------------------------------------------------------


def odoo_release(tree):
    """The names odoo/release.py defines (serie, version_info, version), or {}."""
    release = tree / "odoo" / "release.py"
    if not release.is_file():
        return {}
    namespace = {}
    try:
        exec(compile(release.read_text(), str(release), "exec"), namespace)
    except Exception:  # pylint: disable=broad-except
        return {}
    return namespace


def odoo_series_of(tree):
    return odoo_release(tree).get("serie")


_NIGHTLY_DATE = re.compile(r"(?:^|[^0-9])(20[0-9]{2}[01][0-9][0-3][0-9])(?:[^0-9]|$)")


def odoo_nightly_date(tree, release):
    """The build date of a nightly tree: in release.version ('18.0-20250101'), PKG-INFO's
    Version ('18.0.post20250101'), setup.cfg's tag_build or a VERSION file."""
    candidates = [str(release.get("version", ""))]
    for name, prefix in (("PKG-INFO", "Version:"), ("setup.cfg", "tag_build"), ("VERSION", "")):
        path = tree / name
        if path.is_file():
            lines = path.read_text(errors="replace").splitlines()
            candidates += [line for line in lines if line.strip().startswith(prefix)][:1]
    for candidate in candidates:
        found = _NIGHTLY_DATE.search(candidate)
        if found:
            return found.group(1)
    return None


def odoo_git_commit(tree):
    """(commit, commit date) when the tree is a git checkout of its own, else None."""
    if not (tree / ".git").exists() or not shutil.which("git"):
        return None
    out = subprocess.run(
        ["git", "-C", str(tree), "log", "-1", "--format=%H %cs"],
        check=False,
        capture_output=True,
        text=True,
    )
    parts = out.stdout.split()
    return (parts[0], parts[1]) if out.returncode == 0 and len(parts) == 2 else None


def odoo_version(tree):
    """The exact Odoo a tree holds, so that a change in results can be traced to an Odoo update.

    release.py's version_info, then the commit of a git checkout, else the date of a
    nightly build, else a hash of release.py and account's manifest. Only what is in
    the tree itself: never where the tree came from.
    """
    release = odoo_release(tree)
    text = f"Odoo {release.get('version', '?')} version_info {release.get('version_info')!r}"
    commit = odoo_git_commit(tree)
    if commit:
        return f"{text}, commit {commit[0]} of {commit[1]}"
    nightly = odoo_nightly_date(tree, release)
    if nightly:
        return f"{text}, nightly {nightly}"
    sha = hashlib.sha256()
    for relative in (
        "odoo/release.py",
        "odoo/addons/account/__manifest__.py",
        "addons/account/__manifest__.py",
    ):
        path = tree / relative
        if path.is_file():
            sha.update(relative.encode() + b"\0" + path.read_bytes())
    return f"{text}, content sha256 {sha.hexdigest()[:16]} (release.py, account/__manifest__.py)"


def check_odoo_tree(tree):
    """Return a list of problems with an Odoo source tree (empty when usable)."""
    problems = []
    series = odoo_series_of(tree)
    if series != ODOO_SERIES:
        problems.append(f"{tree} is not an Odoo {ODOO_SERIES} tree (found {series!r})")
        return problems
    for lib in ("odoo/addons/web/static/lib", "odoo/addons/phone_validation/lib"):
        if not (tree / lib).is_dir():
            problems.append(f"{tree / lib} is missing (incomplete source tree)")
    if (tree / "addons" / "web_enterprise").exists() or (
        tree / "odoo" / "addons" / "web_enterprise"
    ).exists():
        problems.append(f"{tree} contains Odoo Enterprise modules; use a Community tree")
    return problems


def find_odoo_source(allow_download):
    """Locate (or download) the Odoo 18.0 Community source tree.

    Order: $ISP_ODOO_SRC, then the cache folder, then a shallow clone of
    Odoo's official 18.0 branch into the cache folder.
    Returns (path or None, reason when None).
    """
    explicit = os.environ.get("ISP_ODOO_SRC")
    if explicit:
        tree = Path(explicit).expanduser().resolve()
        problems = check_odoo_tree(tree)
        if problems:
            fail("ISP_ODOO_SRC: " + "; ".join(problems))
        return tree, None
    if (ODOO_CACHE / "odoo" / "release.py").is_file():
        problems = check_odoo_tree(ODOO_CACHE)
        if problems:
            fail("; ".join(problems))
        return ODOO_CACHE, None
    if not allow_download:
        return None, f"no Odoo {ODOO_SERIES} source tree in $ISP_ODOO_SRC or {ODOO_CACHE}"
    say(f"no Odoo source tree found; cloning Odoo {ODOO_SERIES} from {ODOO_GIT_URL}")
    partial = ODOO_CACHE.with_name(ODOO_CACHE.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    try:
        run(
            ["git", "clone", "--depth", "1", "--branch", ODOO_SERIES, ODOO_GIT_URL, partial],
            timeout=int(os.environ.get("ISP_ODOO_CLONE_TIMEOUT", "1800")),
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, FileNotFoundError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        return None, f"could not download Odoo {ODOO_SERIES} ({exc}); set ISP_ODOO_SRC or fill {ODOO_CACHE}"
    partial.rename(ODOO_CACHE)
    return ODOO_CACHE, None


# --------------------------------------------------------------------------
# Python virtual environment
# --------------------------------------------------------------------------

_MARKER_FILTER = r"""
import sys
from pip._vendor.packaging.requirements import Requirement
# Odoo pins for Python < 3.12 (e.g. cbor2 5.4.2) do not build with current
# setuptools; its Python 3.12 pins install from wheels on 3.11 as well.
env = {"python_version": "3.12", "python_full_version": "3.12.3"}
skipped = set(sys.argv[2].split(","))
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.marker and not req.marker.evaluate(env):
        continue
    if req.name.lower() in skipped:
        continue
    name = "psycopg2-binary" if req.name.lower() == "psycopg2" else req.name
    print(f"{name}{req.specifier}")
"""


def digest(*parts):
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part if isinstance(part, bytes) else str(part).encode())
    return sha.hexdigest()


def ensure_venv(odoo_src):
    """Create .local/venv; reinstall a part only when its inputs changed.

    Two parts with their own stamp: Odoo (its requirements, the tree, the OCA
    addons) and ours (requirements.txt), so that a run without Odoo does not
    make the next run with Odoo reinstall it.
    """
    if not VENV_PY.exists():
        if subprocess.run([sys.executable, "-c", "import ensurepip"], check=False).returncode:
            package = f"python3.{sys.version_info.minor}-venv"
            if is_root() and shutil.which("apt-get"):
                run(["apt-get", "install", "-y", "-qq", package])
            else:
                fail(f"Python's venv module is missing: install the Debian package {package}")
        say("creating the Python virtual environment in .local/venv")
        run([sys.executable, "-m", "venv", VENV])
        pip_base = [VENV_PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        run([*pip_base, "--upgrade", "pip", "setuptools<81", "wheel"])
    pip = [VENV_PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if odoo_src:
        stamp = digest(
            sys.version, odoo_src, (odoo_src / "requirements.txt").read_bytes(), *OCA_PACKAGES, *ODOO_TOOLS
        )
        stamp_file = VENV / ".isp-stamp-odoo"
        if not stamp_file.is_file() or stamp_file.read_text() != stamp:
            say(f"installing Odoo from {odoo_src} and the OCA addons into .local/venv")
            odoo_reqs = LOCAL / "odoo-requirements.txt"
            out = subprocess.run(
                [
                    VENV_PY,
                    "-c",
                    _MARKER_FILTER,
                    odoo_src / "requirements.txt",
                    ",".join(ODOO_REQUIREMENTS_SKIPPED),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            odoo_reqs.write_text(out)
            run_logged([*pip, "-r", odoo_reqs], "pip.log")
            # Editable, without dependencies: the pins above are the dependencies.
            run_logged([*pip, "--no-deps", "--no-build-isolation", "-e", odoo_src], "pip.log")
            # The OCA wheels below install an `odoo/addons` namespace folder that hides the
            # editable install from `import odoo` (Odoo's __init__ never runs); the tree on
            # sys.path makes `odoo` Odoo's package, as odoo-bin does (pytest-odoo needs it).
            purelib = subprocess.run(
                [VENV_PY, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            (Path(purelib) / "isp-odoo-source.pth").write_text(f"{odoo_src}\n")
            # The OCA wheels need only odoo (installed above), requests and each
            # other; resolving their dependencies would build psycopg2 from source
            # (Odoo's setup.py names psycopg2, we use the binary wheel).
            run_logged([*pip, "--no-deps", *OCA_PACKAGES], "pip.log")
            run_logged([*pip, *ODOO_TOOLS], "pip.log")
            run_logged(
                [VENV_PY, "-m", "pip", "uninstall", "--yes", "--quiet", *OCA_PACKAGES_DROPPED], "pip.log"
            )
            stamp_file.write_text(stamp)
    stamp = digest(sys.version, (ROOT / "requirements.txt").read_bytes())
    stamp_file = VENV / ".isp-stamp-project"
    if not stamp_file.is_file() or stamp_file.read_text() != stamp:
        say("installing requirements.txt into .local/venv")
        run_logged([*pip, "-r", ROOT / "requirements.txt"], "pip.log")
        stamp_file.write_text(stamp)


# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------


class Database:
    """Connection settings for Odoo: a given server, or the embedded cluster."""

    def __init__(self, host, port, user, password=None, embedded=False):
        self.host, self.port, self.user, self.password = host, port, user, password
        self.embedded = embedded

    def psql(self, sql, dbname="postgres"):
        env = dict(os.environ, PGPASSWORD=self.password or "")
        out = subprocess.run(
            [
                "psql",
                "-X",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                self.host,
                "-p",
                str(self.port),
                "-U",
                self.user,
                "-d",
                dbname,
                "-c",
                sql,
            ],
            check=False,
            capture_output=True,
            text=True,
            env=env,
        )
        return out.returncode, out.stdout.strip(), out.stderr.strip()


def pg_bin(name):
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if candidates:
        return str(candidates[0])
    found = shutil.which(name)
    if not found:
        fail(f"PostgreSQL's {name} not found: install the Debian package 'postgresql'")
    return found


def pg_ready(host, port):
    isready = shutil.which("pg_isready") or pg_bin("pg_isready")
    return subprocess.run([isready, "-q", "-h", host, "-p", str(port)], check=False).returncode == 0


def external_database():
    """The server PG* (or ISP_DB_*) variables point at, if reachable."""
    host = os.environ.get("ISP_DB_HOST") or os.environ.get("PGHOST")
    if not host:
        return None
    port = int(os.environ.get("ISP_DB_PORT") or os.environ.get("PGPORT") or 5432)
    if not pg_ready(host, port):
        say(f"PostgreSQL at {host}:{port} is not reachable; using the embedded cluster instead")
        return None
    user = os.environ.get("ISP_DB_USER") or os.environ.get("PGUSER") or DB_USER
    password = os.environ.get("ISP_DB_PASSWORD") or os.environ.get("PGPASSWORD")
    say(f"using PostgreSQL at {host}:{port} as {user}")
    return Database(host, port, user, password)


def cluster_owner():
    """PostgreSQL refuses to run as root: root runs the cluster as 'postgres'."""
    if not is_root():
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        run(["useradd", "--system", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", "postgres"])
    return "postgres"


def as_owner(owner, cmd):
    return ["runuser", "-u", owner, "--", *cmd] if owner else cmd


def cluster_dir(owner):
    """Inside the project when the cluster's owner can reach it, else in /var/tmp."""
    preferred = LOCAL / "pg"
    if not owner:
        return preferred
    probe = subprocess.run(as_owner(owner, ["test", "-x", str(LOCAL)]), check=False)
    if probe.returncode == 0:
        return preferred
    tag = hashlib.sha1(str(ROOT).encode()).hexdigest()[:10]
    return Path("/var/tmp") / f"isp-odoo-pg-{tag}"


def embedded_database():
    owner = cluster_owner()
    LOCAL.mkdir(exist_ok=True)
    if owner:
        LOCAL.chmod(0o755)
    base = cluster_dir(owner)
    data, sock = base / "data", base / "run"
    if not (data / "PG_VERSION").is_file():
        say(f"creating the embedded PostgreSQL cluster in {base}")
        shutil.rmtree(base, ignore_errors=True)
        base.mkdir(parents=True)
        sock.mkdir()
        if owner:
            shutil.chown(base, owner)
            shutil.chown(sock, owner)
        run(
            as_owner(
                owner,
                [
                    pg_bin("initdb"),
                    "-D",
                    data,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ],
            ),
            stdout=subprocess.DEVNULL,
        )
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# isp embedded cluster\n"
                "listen_addresses = ''\n"
                f"port = {EMBEDDED_PG_PORT}\n"
                f"unix_socket_directories = '{sock}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "max_connections = 200\nshared_buffers = 256MB\n"
            )
    if not pg_ready(str(sock), EMBEDDED_PG_PORT):
        say("starting the embedded PostgreSQL cluster")
        run(
            as_owner(owner, [pg_bin("pg_ctl"), "-D", data, "-l", base / "postgresql.log", "-w", "start"]),
            stdout=subprocess.DEVNULL,
        )
    db = Database(str(sock), EMBEDDED_PG_PORT, "postgres", embedded=True)
    code, out, err = db.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{DB_USER}'")
    if code:
        fail(f"embedded PostgreSQL does not answer: {err}")
    if out != "1":
        db.psql(f"CREATE ROLE {DB_USER} LOGIN SUPERUSER")
    db.user = DB_USER
    return db


def ensure_database():
    return external_database() or embedded_database()


# --------------------------------------------------------------------------
# Odoo
# --------------------------------------------------------------------------


def isp_addons():
    return sorted(p.parent.name for p in ROOT.glob("isp_*/__manifest__.py"))


def addon_installable(name):
    manifest = ast.literal_eval((ROOT / name / "__manifest__.py").read_text())
    return manifest.get("installable", True)


def write_odoo_conf(odoo_src, db):
    paths = [odoo_src / "odoo" / "addons"]
    if (odoo_src / "addons").is_dir():
        paths.insert(0, odoo_src / "addons")
    paths.append(ROOT)
    lines = [
        "[options]",
        "addons_path = " + ",".join(str(p) for p in paths),
        f"db_host = {db.host}",
        f"db_port = {db.port}",
        f"db_user = {db.user}",
        f"db_password = {db.password or 'False'}",
        f"data_dir = {LOCAL / 'data'}",
        f"http_port = {HTTP_PORT}",
        f"http_interface = {os.environ.get('ISP_HTTP_INTERFACE', '127.0.0.1')}",
        "admin_passwd = admin",
        "list_db = True",
        "server_wide_modules = base,web,queue_job",
        "",
        "[queue_job]",
        # Per-database channels: isp_subscription's data gives billing and provisioning their
        # capacities, so a reconnection never waits behind an invoicing run (README, Deploying).
        "max_capacity = 3",
        "",
    ]
    ODOO_CONF.write_text("\n".join(lines))


def odoo_cmd(odoo_src, *args):
    return [VENV_PY, odoo_src / "odoo-bin", "-c", ODOO_CONF, *args]


def installed_modules(db, dbname, names):
    code, out, _err = db.psql(
        "SELECT name FROM ir_module_module WHERE state = 'installed' AND name IN ("
        + ",".join(f"'{n}'" for n in names)
        + ")",
        dbname=dbname,
    )
    return set(out.split()) if code == 0 else set()


def prepare(command, allow_download=True):
    ensure_system_packages(command)
    odoo_src, reason = find_odoo_source(allow_download)
    if odoo_src:
        say(odoo_version(odoo_src))
    ensure_venv(odoo_src)
    LOGS.mkdir(parents=True, exist_ok=True)
    return odoo_src, reason


def cmd_serve(args):
    started = time.monotonic()
    odoo_src, reason = prepare("serve")
    if not odoo_src:
        fail(reason)
    db = ensure_database()
    write_odoo_conf(odoo_src, db)
    addons = [a for a in isp_addons() if addon_installable(a)] + EXTRA_MODULES
    missing = sorted(set(addons) - installed_modules(db, DEMO_DB, addons))
    # isp_base first: its demo makes the company an Indonesian one in IDR, so that
    # `account` (installed with isp_subscription) then picks Indonesia's chart of accounts.
    steps = [["isp_base"], [a for a in missing if a != "isp_base"]] if "isp_base" in missing else [missing]
    for step in filter(None, steps if missing else []):
        say(f"installing {', '.join(step)} with demo data into database '{DEMO_DB}'")
        run(
            odoo_cmd(
                odoo_src,
                "-d",
                DEMO_DB,
                "-i",
                ",".join(step),
                "--stop-after-init",
                "--logfile",
                LOGS / "install.log",
                "--log-level",
                "warn",
            )
        )
    if not missing and args.update:
        run(
            odoo_cmd(
                odoo_src,
                "-d",
                DEMO_DB,
                "-u",
                ",".join(addons),
                "--stop-after-init",
                "--logfile",
                LOGS / "install.log",
                "--log-level",
                "warn",
            )
        )
    say(f"ready in {time.monotonic() - started:.0f}s")
    say(f"Odoo serves the demo ISP on http://localhost:{HTTP_PORT}")
    say(f"database '{DEMO_DB}', login: admin, password: admin")
    if args.no_serve:
        return
    say("press Ctrl+C to stop")
    os.execv(str(VENV_PY), [str(c) for c in odoo_cmd(odoo_src, "-d", DEMO_DB, "--db-filter", f"^{DEMO_DB}$")])


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------


def count_odoo_tests(addons):
    """Test methods in the addons' Odoo suites (reported when they cannot run)."""
    total = 0
    for addon in addons:
        for path in (ROOT / addon / "tests").glob("test_*.py"):
            tree = ast.parse(path.read_text())
            total += sum(
                1
                for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef) and node.name.startswith("test")
            )
    return total


def run_pytest():
    """The suites that need no Odoo: pure business rules, protocol peers, tools.

    The FreeRADIUS suites make throwaway databases on the project's PostgreSQL server.
    """
    report = LOGS / "pytest.xml"
    report.unlink(missing_ok=True)
    db = ensure_database()
    env = dict(
        os.environ,
        ISP_TEST_PGHOST=db.host,
        ISP_TEST_PGPORT=str(db.port),
        ISP_TEST_PGUSER=db.user,
        ISP_TEST_PGPASSWORD=db.password or "",
    )
    # -p no:odoo: pytest-odoo (installed with Odoo) stays out, so that these suites
    # run exactly as on a machine without Odoo.
    proc = run(
        [VENV_PY, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:odoo", "--junitxml", report, "tests"],
        check=False,
        cwd=ROOT,
        env=env,
    )
    return junit_counts(report, proc.returncode)


def junit_counts(report, returncode):
    """passed/failed/skipped from a pytest JUnit XML report and pytest's exit code."""
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    if report.is_file():
        for suite in ET.parse(report).getroot().iter("testsuite"):
            tests = int(suite.get("tests", 0))
            failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skipped = int(suite.get("skipped", 0))
            counts["failed"] += failed
            counts["skipped"] += skipped
            counts["passed"] += tests - failed - skipped
    if returncode not in (0, 5) and not counts["failed"]:
        counts["failed"] += 1  # pytest itself broke (collection error, crash)
    return counts


# The Odoo suite that also runs under pytest-odoo, so that this way of running the
# Odoo tests keeps working; Odoo's runner stays the main one. The tour needs Odoo's
# HTTP server and Chromium: Odoo's runner covers it.
PYTEST_ODOO_SUITE = ["isp_base/tests", "--ignore=isp_base/tests/test_tour.py"]


def pytest_odoo_cmd(database, *paths):
    """The pytest-odoo command line (README, Tests) on a database with the addons installed."""
    return [
        VENV_PY,
        "-m",
        "pytest",
        "-p",
        "odoo",
        "-p",
        "no:cacheprovider",
        "--odoo-config",
        ODOO_CONF,
        "--odoo-database",
        database,
        *paths,
    ]


def run_pytest_odoo():
    """PYTEST_ODOO_SUITE under pytest-odoo, on the database the Odoo suites installed."""
    report = LOGS / "pytest-odoo.xml"
    report.unlink(missing_ok=True)
    say(f"running {PYTEST_ODOO_SUITE[0]} again under pytest-odoo on '{TEST_DB}'")
    proc = run(
        [*pytest_odoo_cmd(TEST_DB, *PYTEST_ODOO_SUITE), "--junitxml", report],
        check=False,
        cwd=ROOT,
    )
    return junit_counts(report, proc.returncode)


def run_linters():
    """pre-commit (ruff, pylint-odoo) on the tracked files: one pass or one failure."""
    if not (ROOT / ".git").exists():
        say("not a git checkout: linters skipped")
        return {"passed": 0, "failed": 0, "skipped": 1}
    proc = run(
        [VENV / "bin" / "pre-commit", "run", "--all-files", "--show-diff-on-failure", "--color", "never"],
        check=False,
        cwd=ROOT,
    )
    return {"passed": int(proc.returncode == 0), "failed": int(proc.returncode != 0), "skipped": 0}


def browser_available():
    return any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome"))


def run_odoo_suites(odoo_src, addons):
    db = ensure_database()
    write_odoo_conf(odoo_src, db)
    db.psql(f'DROP DATABASE IF EXISTS "{TEST_DB}" WITH (FORCE)')
    result_file = LOGS / "odoo-tests.json"
    result_file.unlink(missing_ok=True)
    log = LOGS / "odoo-tests.log"
    log.unlink(missing_ok=True)
    tags = ",".join(f"/{a}" for a in addons)
    say(f"running the Odoo suites of {', '.join(addons)} (log: {log})")
    run(
        [
            VENV_PY,
            ROOT / "setup" / "odoo_test_runner.py",
            odoo_src,
            result_file,
            "-c",
            ODOO_CONF,
            "-d",
            TEST_DB,
            "-i",
            ",".join(addons + EXTRA_MODULES),
            "--test-tags",
            tags,
            "--stop-after-init",
            "--http-port",
            str(HTTP_PORT + 100),
            "--logfile",
            log,
            "--log-level",
            "test",
        ],
        check=False,
    )
    if not result_file.is_file():
        say(f"the Odoo test run crashed before reporting; see {log}")
        return {"passed": 0, "failed": 1, "skipped": 0}
    result = json.loads(result_file.read_text())
    for item in result["problems"]:
        print(f"  FAILED {item['test']}\n{item['detail']}")
    for item in result["skips"]:
        print(f"  SKIPPED {item['test']}: {item['reason']}")
    failed = result["failures"] + result["errors"]
    logged_errors = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if " ERROR " in line or " CRITICAL " in line
    ]
    if logged_errors and not failed:
        # An error logged outside a test (a broken view, a failed install)
        # fails the run, as on Odoo's own CI.
        print("  errors logged by Odoo:\n    " + "\n    ".join(logged_errors[:20]))
        failed += 1
    if result["exit_code"] and not failed:
        failed += 1
    skipped = result["skipped"]
    if skipped and os.environ.get("ISP_ALLOW_SKIPS") != "1":
        say(
            f"{skipped} Odoo test(s) that should have run were skipped (browser "
            f"{'found' if browser_available() else 'missing'}): each counts as a failure"
        )
        failed += skipped
        skipped = 0
    passed = result["tests"] - result["failures"] - result["errors"] - result["skipped"]
    say(f"Odoo suites: {passed} passed, {failed} failed, {skipped} skipped")
    return {"passed": passed, "failed": failed, "skipped": skipped}


def cmd_test(args):
    started = time.monotonic()
    odoo_src, reason = prepare("test", allow_download=os.environ.get("ISP_ODOO_DOWNLOAD", "1") != "0")
    totals = {"passed": 0, "failed": 0, "skipped": 0}
    if not args.odoo_only:
        for suite in (run_linters, run_pytest):
            for key, value in suite().items():
                totals[key] += value
    addons = [a for a in isp_addons() if addon_installable(a)]
    if not addons:
        say("no installable isp_* addon: no Odoo suite to run")
    elif odoo_src:
        for suite in (lambda: run_odoo_suites(odoo_src, addons), run_pytest_odoo):
            for key, value in suite().items():
                totals[key] += value
    else:
        skipped = count_odoo_tests(addons)
        totals["skipped"] += skipped
        banner = "!" * 78
        print(
            f"\n{banner}\n  ODOO SUITES SKIPPED: {len(addons)} suites ({skipped} tests) of "
            f"{', '.join(addons)}\n  reason: {reason}\n{banner}\n",
            flush=True,
        )
    say(f"tests took {time.monotonic() - started:.0f}s")
    say(f"tested on {odoo_version(odoo_src)}" if odoo_src else "tested without Odoo")
    print(
        f"total: {totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped",
        flush=True,
    )
    return 1 if totals["failed"] else 0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="install everything and serve the demo ISP")
    serve.add_argument("--update", action="store_true", help="update the isp_* addons before serving")
    serve.add_argument("--no-serve", action="store_true", help="prepare everything, then exit")
    test = sub.add_parser("test", help="run every test suite")
    test.add_argument("--odoo-only", action="store_true", help="only the Odoo suites")
    args = parser.parse_args()
    if args.command == "serve":
        cmd_serve(args)
        return 0
    return cmd_test(args)


if __name__ == "__main__":
    sys.exit(main())
