# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_portal_change_plan
from . import test_portal_password
from . import test_portal_security
from . import test_portal_services
from . import test_portal_usage
from . import test_payment
from . import test_portal_tour
from . import test_payment_security
from . import test_payment_tour
from . import test_portal_package
