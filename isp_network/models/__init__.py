from . import isp_demo_generator
from . import isp_nas
from . import isp_provisioning
from . import isp_subscription
