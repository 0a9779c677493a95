from . import test_radius_accounting
from . import test_radius_provisioning
