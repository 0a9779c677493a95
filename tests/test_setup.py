# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Tests of setup/isp.py's decisions that need no Odoo, no network and no database."""

import ast
import importlib.metadata
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("isp_setup", ROOT / "setup" / "isp.py")
isp_setup = importlib.util.module_from_spec(spec)
spec.loader.exec_module(isp_setup)


def make_tree(path, serie="18.0", libs=True, enterprise=False):
    (path / "odoo").mkdir(parents=True)
    (path / "odoo" / "release.py").write_text(f"serie = {serie!r}\n")
    if libs:
        (path / "odoo/addons/web/static/lib").mkdir(parents=True)
        (path / "odoo/addons/phone_validation/lib").mkdir(parents=True)
    if enterprise:
        (path / "odoo/addons/web_enterprise").mkdir(parents=True)
    return path


def test_complete_community_tree_is_accepted(tmp_path):
    assert isp_setup.check_odoo_tree(make_tree(tmp_path)) == []


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"serie": "17.0"}, "is not an Odoo 18.0 tree"),
        ({"libs": False}, "missing (incomplete source tree)"),
        ({"enterprise": True}, "Enterprise"),
    ],
)
def test_unusable_trees_are_refused_with_the_reason(tmp_path, kwargs, expected):
    problems = isp_setup.check_odoo_tree(make_tree(tmp_path, **kwargs))
    assert any(expected in problem for problem in problems)


def test_explicit_source_wins_over_the_cache(tmp_path, monkeypatch):
    tree = make_tree(tmp_path / "mine")
    monkeypatch.setenv("ISP_ODOO_SRC", str(tree))
    monkeypatch.setattr(isp_setup, "ODOO_CACHE", tmp_path / "cache")
    assert isp_setup.find_odoo_source(allow_download=False) == (tree, None)


def test_missing_source_without_download_gives_a_reason(tmp_path, monkeypatch):
    monkeypatch.delenv("ISP_ODOO_SRC", raising=False)
    monkeypatch.setattr(isp_setup, "ODOO_CACHE", tmp_path / "cache")
    tree, reason = isp_setup.find_odoo_source(allow_download=False)
    assert tree is None
    assert "no Odoo 18.0 source tree" in reason


def test_odoo_requirements_use_the_python_312_pins_and_binary_psycopg2(tmp_path):
    reqs = tmp_path / "requirements.txt"
    reqs.write_text(
        "cbor2==5.4.2 ; python_version < '3.12'\n"
        "cbor2==5.6.2 ; python_version >= '3.12'\n"
        "psycopg2==2.9.5 ; python_version == '3.11'\n"
        "psycopg2==2.9.9 ; python_version >= '3.12' # comment\n"
        "python-ldap==3.4.4 ; sys_platform != 'win32' and python_version >= '3.12'\n"
        "pypiwin32 ; sys_platform == 'win32'\n"
        "pytz  # unpinned\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", isp_setup._MARKER_FILTER, reqs, ",".join(isp_setup.ODOO_REQUIREMENTS_SKIPPED)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert out == ["cbor2==5.6.2", "psycopg2-binary==2.9.9", "pytz"]


def test_odoo_tests_are_counted_for_the_skip_report(tmp_path, monkeypatch):
    tests = tmp_path / "isp_demo" / "tests"
    tests.mkdir(parents=True)
    (tests / "test_a.py").write_text("class T:\n    def test_one(self): pass\n    def test_two(self): pass\n")
    (tests / "common.py").write_text("def test_not_a_test_file(): pass\n")
    monkeypatch.setattr(isp_setup, "ROOT", tmp_path)
    assert isp_setup.count_odoo_tests(["isp_demo"]) == 2


# --------------------------------------------------------------------------
# The exact Odoo a run used
# --------------------------------------------------------------------------

RELEASE_PY = (
    "version_info = (18, 0, 0, 'final', 0, '')\nversion = '18.0'\nseries = serie = major_version = '18.0'\n"
)


def write_release(tree, extra=""):
    (tree / "odoo" / "release.py").write_text(RELEASE_PY + extra)
    return tree


def git(tree, *args):
    subprocess.run(["git", "-C", tree, *args], check=True, capture_output=True)


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_a_git_checkout_is_named_by_its_commit_and_never_by_where_it_came_from(tmp_path):
    tree = write_release(make_tree(tmp_path / "odoo-src"))
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "t")
    git(tree, "remote", "add", "origin", "https://mirror.example.invalid/odoo.git")
    commit = subprocess.run(
        ["git", "-C", tree, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    version = isp_setup.odoo_version(tree)
    assert version.startswith("Odoo 18.0 version_info (18, 0, 0, 'final', 0, '')")
    assert f"commit {commit} of " in version
    assert "mirror" not in version and str(tmp_path) not in version


@pytest.mark.parametrize(
    "files, expected",
    [
        ({"odoo/release.py": RELEASE_PY + "version += '-20250102'\n"}, "nightly 20250102"),
        ({"PKG-INFO": "Metadata-Version: 2.1\nName: odoo\nVersion: 18.0.post20250103\n"}, "nightly 20250103"),
        ({"setup.cfg": "[egg_info]\ntag_build = .post20250104\ntag_date = 0\n"}, "nightly 20250104"),
        ({"VERSION": "18.0-20250105\n"}, "nightly 20250105"),
    ],
)
def test_a_nightly_is_named_by_its_build_date(tmp_path, files, expected):
    tree = write_release(make_tree(tmp_path))
    for name, text in files.items():
        (tree / name).write_text(text)
    assert isp_setup.odoo_version(tree).endswith(expected)


def test_any_other_tree_is_named_by_a_hash_of_its_release_and_accounting(tmp_path):
    tree = write_release(make_tree(tmp_path))
    manifest = tree / "odoo/addons/account/__manifest__.py"
    manifest.parent.mkdir(parents=True)
    manifest.write_text("{'version': '1.3'}")
    first = isp_setup.odoo_version(tree)
    assert "content sha256 " in first
    assert isp_setup.odoo_version(tree) == first
    manifest.write_text("{'version': '1.4'}")
    assert isp_setup.odoo_version(tree) != first


# --------------------------------------------------------------------------
# A machine without Odoo: the venv, and the suites that need no Odoo
# --------------------------------------------------------------------------


def imported_top_level_modules():
    """{top-level module: first file importing it} outside the standard library, for the suites
    that need no Odoo (tests/ but its benchmarks) and the addon modules they load (lib/, the test
    peers in <addon>/tests/), followed import by import. Addon folders and their tests/ folders
    are bare packages there (tests/conftest.py), so their __init__ is never run."""
    local = {p.stem for p in (ROOT / "tests").rglob("*.py")} | {"tests", "__future__"}
    queue = [p for p in (ROOT / "tests").rglob("*.py") if "benchmarks" not in p.parts]
    seen, found = set(), {}
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        package = path.relative_to(ROOT).parent.parts
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                module = node.module
                if node.level:
                    module = ".".join((*package[: len(package) - node.level + 1], *filter(None, [module])))
                names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top.startswith("isp_"):
                    parts = name.split(".")
                    for candidate in (
                        ROOT.joinpath(*parts).with_suffix(".py"),
                        ROOT.joinpath(*parts, "__init__.py"),
                    ):
                        bare = candidate.name == "__init__.py" and parts[1:] in ([], ["tests"])
                        if candidate.is_file() and not bare:
                            queue.append(candidate)
                elif top not in sys.stdlib_module_names and top not in local:
                    found.setdefault(top, path.relative_to(ROOT))
    return found


def requirement_names(path):
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(re.split(r"[<>=!~;\[ ]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def test_the_suites_without_odoo_import_only_what_requirements_txt_installs():
    modules = imported_top_level_modules()
    assert "odoo" not in modules, f"{modules.get('odoo')} imports odoo: it belongs to the addon's Odoo tests"
    assert {"pytest", "hypothesis", "psycopg2", "pyrad", "librouteros"} <= set(modules)
    distributions = importlib.metadata.packages_distributions()
    required = requirement_names(ROOT / "requirements.txt")
    for module, where in sorted(modules.items()):
        provided_by = {name.lower().replace("_", "-") for name in distributions.get(module, [])}
        assert provided_by & required, (
            f"{where} imports {module} (from {sorted(provided_by) or 'nowhere'}), "
            f"which requirements.txt does not install"
        )


def test_pytest_odoo_is_installed_with_odoo_and_off_unless_asked_for():
    # Its session fixture opens an Odoo database around every test: in requirements.txt,
    # the suites without Odoo could not run.
    assert "pytest-odoo" not in requirement_names(ROOT / "requirements.txt")
    assert any(tool.startswith("pytest-odoo==") for tool in isp_setup.ODOO_TOOLS)
    assert "-p no:odoo" in (ROOT / "pyproject.toml").read_text()
    command = [str(c) for c in isp_setup.pytest_odoo_cmd("db", "isp_base/tests")]
    assert command[command.index("-p") + 1] == "odoo"
    assert command[-3:] == ["--odoo-database", "db", "isp_base/tests"]


@pytest.fixture
def recorded_venv(tmp_path, monkeypatch):
    """ensure_venv with every command recorded instead of run, on a venv that exists."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    for name, value in {
        "VENV": venv,
        "VENV_PY": venv / "bin" / "python",
        "LOCAL": tmp_path,
        "LOGS": tmp_path / "logs",
    }.items():
        monkeypatch.setattr(isp_setup, name, value)
    commands = []

    def record(cmd, *args, **kwargs):
        commands.append(" ".join(str(c) for c in cmd))
        stdout = str(tmp_path) if "sysconfig" in commands[-1] else ""
        return subprocess.CompletedProcess(cmd, 0, stdout=stdout, stderr="")

    monkeypatch.setattr(isp_setup, "run", record)
    monkeypatch.setattr(isp_setup, "run_logged", record)
    monkeypatch.setattr(isp_setup.subprocess, "run", record)
    return commands


def test_a_venv_without_odoo_gets_requirements_txt_only(recorded_venv):
    isp_setup.ensure_venv(None)
    installs = [c for c in recorded_venv if " install " in c]
    assert len(installs) == 1 and installs[0].endswith(f"-r {ROOT / 'requirements.txt'}")
    isp_setup.ensure_venv(None)
    assert len([c for c in recorded_venv if " install " in c]) == 1, "installed again with nothing changed"


def test_a_venv_with_odoo_gets_odoo_the_oca_addons_and_pytest_odoo(recorded_venv, tmp_path):
    tree = make_tree(tmp_path / "odoo-src")
    (tree / "requirements.txt").write_text("pytz\n")
    isp_setup.ensure_venv(tree)
    joined = "\n".join(recorded_venv)
    assert f"-e {tree}" in joined
    assert all(package in joined for package in isp_setup.OCA_PACKAGES + isp_setup.ODOO_TOOLS)
    assert "odoo-addon-contract" not in " ".join(isp_setup.OCA_PACKAGES)
    assert "uninstall --yes --quiet odoo-addon-contract odoo-addon-web-view-leaflet-map" in joined
    assert (tmp_path / "isp-odoo-source.pth").read_text() == f"{tree}\n"
    assert joined.endswith(f"-r {ROOT / 'requirements.txt'}")


@pytest.mark.skipif(
    os.environ.get("ISP_SKIP_VENV_TEST") == "1", reason="ISP_SKIP_VENV_TEST=1 (see README, Tests)"
)
def test_a_venv_built_without_odoo_collects_every_suite(tmp_path, monkeypatch):
    """The path of a machine where Odoo cannot be found: the setup's own venv code, for real
    (pip, with its cache), then every suite collected there; the modules they import at run
    time are all importable. About 15 s with pip's cache."""
    venv = tmp_path / "venv"
    for name, value in {"VENV": venv, "VENV_PY": venv / "bin" / "python", "LOGS": tmp_path}.items():
        monkeypatch.setattr(isp_setup, name, value)
    isp_setup.ensure_venv(None)
    python = str(venv / "bin" / "python")
    assert subprocess.run([python, "-c", "import odoo"], check=False, capture_output=True).returncode
    modules = sorted(imported_top_level_modules())
    missing = subprocess.run(
        [
            python,
            "-c",
            "import importlib.util, sys; print(*(m for m in sys.argv[1:] if not importlib.util.find_spec(m)))",
            *modules,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert not missing, f"not installed without Odoo: {missing}"
    collected = subprocess.run(
        [python, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q", "tests"],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    assert re.search(r"^\d+ tests collected", collected.stdout, re.MULTILINE), collected.stdout[-500:]
