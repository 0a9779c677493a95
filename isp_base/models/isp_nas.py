import ipaddress

from odoo import api, fields, models
from odoo.exceptions import ValidationError

SECRET_GROUP = "isp_base.group_isp_manager"


class IspNas(models.Model):
    """A NAS or router. Its RADIUS secret and API credentials are readable only by
    ISP managers (the ``groups`` on the fields keeps them out of every other read)."""

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
    api_host = fields.Char(string="API Host", help="Address of the management API. Empty: the IP address.")
    api_port = fields.Integer(
        string="API Port", default=8728, help="RouterOS: 8728 for the API, 8729 for API-SSL."
    )
    api_use_ssl = fields.Boolean(string="Use API-SSL")
    api_username = fields.Char(string="API User", groups=SECRET_GROUP, copy=False)
    api_password = fields.Char(string="API Password", groups=SECRET_GROUP, copy=False)
    api_timeout = fields.Integer(string="API Timeout (s)", default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("ip_company_unique", "UNIQUE(ip_address, company_id)", "Another NAS already has this IP address."),
        (
            "api_port_range",
            "CHECK(api_port BETWEEN 1 AND 65535)",
            "The API port must be between 1 and 65535.",
        ),
        ("api_timeout_positive", "CHECK(api_timeout > 0)", "The API timeout must be positive."),
    ]

    @api.onchange("api_use_ssl")
    def _onchange_api_use_ssl(self):
        if self.api_port in (8728, 8729):
            self.api_port = 8729 if self.api_use_ssl else 8728

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
