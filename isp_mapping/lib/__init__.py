# Pure-Python rules of isp_mapping (distances, status colours, hulls, repair routes).
# No Odoo import: the addon's models call these.
