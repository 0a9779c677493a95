# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Pure-Python rules of isp_mapping (distances, status colours, hulls, repair routes).
# No Odoo import: the addon's models call these.
