# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class IspSubscription(models.Model):
    _inherit = "isp.subscription"

    # The counters of the router session last read, so that each byte is counted once.
    routeros_session_id = fields.Char(string="RouterOS Session", readonly=True, copy=False)
    routeros_rx_bytes = fields.Float(
        string="RouterOS Uploaded (bytes)", digits=(20, 0), readonly=True, copy=False
    )
    routeros_tx_bytes = fields.Float(
        string="RouterOS Downloaded (bytes)", digits=(20, 0), readonly=True, copy=False
    )
    routeros_uptime = fields.Integer(string="RouterOS Uptime (s)", readonly=True, copy=False)
