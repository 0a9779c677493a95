# Pure-Python business rules of isp_base: no Odoo import here, so that they are
# fast to test (tests/test_isp_base_*.py) and easy to reuse.
