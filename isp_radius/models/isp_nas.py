# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..lib import coa


class IspNas(models.Model):
    _inherit = "isp.nas"

    radius_server_id = fields.Many2one(
        "isp.radius.server",
        string="RADIUS Server",
        index=True,
        help="The FreeRADIUS server this NAS asks; its row in that server's nas table is kept in step.",
    )
    coa_port = fields.Integer(
        string="CoA Port",
        default=coa.DEFAULT_PORT,
        help="UDP port of the NAS's CoA/Disconnect listener (RFC 5176).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.radius_server_id._request_sync()
        return records

    def write(self, vals):
        servers = self.radius_server_id
        result = super().write(vals)
        if {"radius_server_id", "ip_address", "name", "radius_secret", "active"} & set(vals):
            (servers | self.radius_server_id)._request_sync()
        return result

    def unlink(self):
        servers = self.radius_server_id
        result = super().unlink()
        servers._request_sync()
        return result
