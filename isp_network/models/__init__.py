# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from . import isp_demo_generator
from . import isp_nas
from . import isp_provisioning
from . import isp_subscription
