from . import product_template
from . import res_partner
from . import isp_site
from . import isp_nas
from . import isp_demo_generator
