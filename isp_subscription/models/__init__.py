from . import isp_provisioner
from . import isp_provisioning
from . import isp_subscription
from . import isp_demo_generator
from . import isp_usage_daily
