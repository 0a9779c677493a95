# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

# Pure-Python business rules of isp_helpdesk: no Odoo import here, so that they are
# fast to test (tests/test_isp_helpdesk_*.py) and easy to reuse.
