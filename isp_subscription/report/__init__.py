# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import isp_report_subscription_month
from . import isp_report_kpi_month
from . import isp_report_receivable_aging
from . import isp_report_revenue
from . import isp_report_usage
from . import isp_report_site_contention
