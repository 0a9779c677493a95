from odoo import api, models


class IspProvisioning(models.AbstractModel):
    _inherit = "isp.provisioning"

    @api.model
    def _isp_apply_routeros(self, subscription):
        """Bring the RouterOS router of the subscription's site in line with it."""
        nas = self.env["isp.nas"].sudo()._routeros_for(subscription)
        if nas:
            nas._routeros_apply(subscription.sudo())
