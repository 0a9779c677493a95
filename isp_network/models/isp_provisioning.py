# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import ValidationError

from odoo.addons.isp_subscription.models.isp_provisioning import NotServed, PermanentError


class IspProvisioning(models.AbstractModel):
    _inherit = "isp.provisioning"

    @api.model
    def _isp_apply_routeros(self, subscription):
        """Bring the managed router serving the subscription (the nearest one up its site
        tree) in line with it."""
        subscription = subscription.sudo()
        nas = self.env["isp.nas"].sudo()._routeros_for(subscription)
        needs_service = subscription.network_state in ("active", "fair_usage", "suspended")
        if not nas:
            if needs_service:
                raise NotServed(self._routeros_not_served(subscription))
            return
        if needs_service and not nas._routeros_router().serves(nas._routeros_subscription(subscription)):
            raise NotServed(
                self.env._(
                    "Router %(nas)s does not provision hotspot users: give it a hotspot user profile, "
                    "or serve hotspots with RADIUS.",
                    nas=nas.name,
                )
            )
        if needs_service:
            self._routeros_check_credentials(subscription, nas)
        try:
            nas._routeros_apply(subscription)
        except UnicodeError as error:  # data written before the credentials were checked at input
            raise PermanentError(
                self.env._(
                    "Not sent to %(nas)s: %(reason)s (%(error)s).",
                    nas=nas.name,
                    reason=nas._routeros_not_ascii(),
                    error=error,
                )
            ) from error

    @api.model
    def _routeros_not_served(self, subscription):
        if not subscription.site_id:
            return self.env._("No RouterOS router serves %s: it has no site.", subscription.display_name)
        return self.env._(
            "No RouterOS router serves site %(site)s: none is managed over the API on it or on a "
            "site above it.",
            site=subscription.site_id.display_name,
        )

    @api.model
    def _routeros_check_credentials(self, subscription, nas):
        """Credentials the router cannot take (written before they were checked at input) fail
        the job for good, with the reason: retrying would not help."""
        try:
            subscription._check_credentials()
        except ValidationError as error:
            raise PermanentError(
                self.env._("Not sent to %(nas)s: %(reason)s", nas=nas.name, reason=error.args[0])
            ) from error
