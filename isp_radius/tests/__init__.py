# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_radius_accounting
from . import test_radius_provisioning
from . import test_radius_nas_answers
from . import test_radius_drift
from . import test_radius_database
from . import test_two_backends
