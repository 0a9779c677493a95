# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    isp_self_service = fields.Boolean(
        string="Self-Service",
        default=True,
        help="Customers may choose this plan themselves in the portal (Change Plan). "
        "Clear it for plans only staff may give.",
    )

    isp_portal_package = fields.Boolean(
        string="Prepaid Package",
        compute="_compute_isp_portal_package",
        store=True,
        readonly=False,
        help="Customers may buy this plan in the portal as a new prepaid service (Buy a package): "
        "paying its first period starts it at once. Ticked by default for hotspot plans; also "
        "needs Self-Service. Static IP plans are never offered (an address must be assigned first).",
    )

    @api.depends("connection_type")
    def _compute_isp_portal_package(self):
        for plan in self:
            plan.isp_portal_package = plan.connection_type == "hotspot"
