from odoo import api, models


class IspProvisioning(models.AbstractModel):
    _inherit = "isp.provisioning"

    @api.model
    def _isp_apply_radius(self, subscription):
        """Write the subscription into every FreeRADIUS server of its company, then
        tell the NAS about live sessions (Disconnect or CoA)."""
        servers = (
            self.env["isp.radius.server"].sudo().search([("company_id", "=", subscription.company_id.id)])
        )
        for server in servers:
            server._apply_subscription(subscription.sudo())
