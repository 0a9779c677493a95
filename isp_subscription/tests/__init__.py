# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_subscription
from . import test_provisioning
from . import test_usage
from . import test_invoicing
from . import test_dunning
from . import test_dunning_batch
from . import test_dunning_run
from . import test_dunning_xmlrpc
from . import test_journal_items
from . import test_billing_core
from . import test_plan_change
from . import test_rpc
from . import test_invoice_run_usability
from . import test_invoice_run_import
from . import test_invoice_run_demo
from . import test_invoice_run_failure
from . import test_invoice_run_check
from . import test_search
from . import test_bulk_action
from . import test_churn_risk
from . import test_retention
from . import test_kpi_reports
from . import test_dashboard_tour
from . import test_dashboard_benchmark
