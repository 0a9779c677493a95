from . import test_plan
from . import test_customer
from . import test_network
from . import test_security
from . import test_demo
from . import test_tour
from . import test_i18n
