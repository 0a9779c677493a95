# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class IspProvisioner(models.Model):
    """A network backend that carries out subscriptions (FreeRADIUS, RouterOS API...).

    Network addons add a record with their ``tech_name`` and implement
    ``isp.provisioning._isp_apply_<tech_name>(subscription)``, as geocoders
    plug into base_geolocalize, so that billing never depends on them.
    """

    _name = "isp.provisioner"
    _description = "Network Provisioner"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    tech_name = fields.Char(
        required=True, help="Selects the method _isp_apply_<tech_name> of isp.provisioning."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("tech_name_unique", "UNIQUE(tech_name)", "A provisioner with this technical name exists.")
    ]
