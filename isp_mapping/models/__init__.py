from . import ir_ui_view
from . import isp_site
from . import isp_subscription
