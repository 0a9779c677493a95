# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Run Odoo with --test-enable and write its test results as JSON.

Usage: python setup/odoo_test_runner.py ODOO_SOURCE RESULT.json [odoo server options]

Odoo's own summary is a log line (and skipped tests, such as tours without a
browser, appear only as INFO lines), so this wrapper records the totals, the
failures and every skip with its reason for setup/isp.py to report.
"""

import json
import sys
import traceback

# As odoo-bin does by living there: the source root first, so that `odoo` is
# Odoo's package and not the namespace folder the OCA wheels install.
sys.path.insert(0, sys.argv[1])

import odoo
from odoo.cli.server import main as odoo_main

# Odoo warns when its test framework is imported outside test mode.
odoo.tools.config["test_enable"] = True
from odoo.tests.result import OdooTestResult  # noqa: E402

skips = []
problems = []

_add_skip = OdooTestResult.addSkip
_add_error = OdooTestResult.addError
_add_failure = OdooTestResult.addFailure


def _record_skip(self, test, reason):
    skips.append({"test": self.getDescription(test), "reason": str(reason)})
    return _add_skip(self, test, reason)


def _record_error(self, test, err):
    problems.append({"test": self.getDescription(test), "detail": "".join(traceback.format_exception(*err))})
    return _add_error(self, test, err)


def _record_failure(self, test, err):
    problems.append({"test": self.getDescription(test), "detail": "".join(traceback.format_exception(*err))})
    return _add_failure(self, test, err)


OdooTestResult.addSkip = _record_skip
OdooTestResult.addError = _record_error
OdooTestResult.addFailure = _record_failure


def main():
    result_path, args = sys.argv[2], sys.argv[3:]
    exit_code = 0
    try:
        odoo_main(args)
    except SystemExit as exc:
        exit_code = exc.code if isinstance(exc.code, int) else 1
    dbname = (odoo.tools.config["db_name"] or "").split(",")[0]
    registry = odoo.modules.registry.Registry.registries.get(dbname)
    report = getattr(registry, "_assertion_report", None) if registry else None
    data = {
        "exit_code": exit_code,
        "tests": report.testsRun if report else 0,
        "failures": report.failures_count if report else 0,
        "errors": report.errors_count if report else 0,
        "skipped": report.skipped if report else len(skips),
        "skips": skips,
        "problems": problems,
    }
    with open(result_path, "w") as out:
        json.dump(data, out, indent=1)
    sys.exit(exit_code)


if __name__ == "__main__":
    main()
