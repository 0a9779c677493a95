from . import isp_subscription_change_plan
from . import isp_dunning_run
from . import isp_invoice_run_preview
