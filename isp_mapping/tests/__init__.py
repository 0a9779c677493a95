# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import test_map_data
from . import test_map_area
from . import test_map_billing
from . import test_map_http
from . import test_tour
from . import test_map_benchmark
