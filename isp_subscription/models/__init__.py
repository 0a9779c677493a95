# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import res_company
from . import res_config_settings
from . import res_partner
from . import isp_provisioner
from . import isp_provisioning
from . import isp_provisioning_state
from . import isp_subscription
from . import isp_subscription_search
from . import isp_subscription_addon
from . import isp_subscription_charge
from . import isp_subscription_suspension
from . import isp_subscription_plan_period
from . import isp_usage_daily
from . import account_move
from . import isp_invoice_run
from . import isp_notification
from . import isp_sms_message
from . import isp_dunning
from . import isp_demo_generator
from . import res_partner_summary
from . import isp_bulk_operation
from . import isp_subscription_churn_risk
from . import isp_dashboard
from . import res_partner_retention
