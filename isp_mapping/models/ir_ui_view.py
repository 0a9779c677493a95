# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models


class IrUiView(models.Model):
    _inherit = "ir.ui.view"

    type = fields.Selection(selection_add=[("isp_map", "ISP Map")])

    def _get_view_info(self):
        return {"isp_map": {"icon": "fa fa-map-marker"}} | super()._get_view_info()


class IrActionsActWindowView(models.Model):
    _inherit = "ir.actions.act_window.view"

    view_mode = fields.Selection(selection_add=[("isp_map", "ISP Map")], ondelete={"isp_map": "cascade"})
