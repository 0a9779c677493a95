# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import ipaddress

from odoo import api, fields, models
from odoo.exceptions import ValidationError

SECRET_GROUP = "isp_base.group_isp_manager"


class IspNas(models.Model):
    """A NAS or router. Its RADIUS secret is readable only by ISP managers (the ``groups``
    on the field keeps it out of every other read). The RouterOS API access (address, port,
    credentials) is isp_network's."""

    _name = "isp.nas"
    _description = "NAS / Router"
    _inherit = ["mail.thread"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    site_id = fields.Many2one("isp.site", index=True, tracking=True, check_company=True)
    ip_address = fields.Char(string="IP Address", required=True, tracking=True)
    vendor = fields.Selection(
        [("mikrotik", "MikroTik"), ("cisco", "Cisco"), ("ubiquiti", "Ubiquiti"), ("other", "Other")],
        required=True,
        default="mikrotik",
    )
    radius_secret = fields.Char(string="RADIUS Secret", groups=SECRET_GROUP, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("ip_company_unique", "UNIQUE(ip_address, company_id)", "Another NAS already has this IP address."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("ip_address"):
                vals["ip_address"] = self._normalize_ip(vals["ip_address"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("ip_address"):
            vals["ip_address"] = self._normalize_ip(vals["ip_address"])
        return super().write(vals)

    @api.model
    def _normalize_ip(self, address):
        """The canonical form of an IPv4/IPv6 address (so uniqueness holds), or a ValidationError.

        Used for every address the ISP addons store (NAS, static IPs of subscriptions).
        """
        try:
            return str(ipaddress.ip_address(address.strip()))
        except ValueError as error:
            raise ValidationError(
                self.env._("%(address)s is not a valid IPv4 or IPv6 address.", address=address)
            ) from error
