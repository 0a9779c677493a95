# Pure-Python billing rules of isp_subscription (periods, proration, usage,
# late fees, dunning). No Odoo import: the addon's models call these.
