"""Tests of setup/isp.py's decisions that need no Odoo, no network and no database."""

import importlib.util
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
