# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import AccessError

from odoo.addons.isp_base.lib import demo_generator

from ..lib import demo_routers


class IspDemoGenerator(models.AbstractModel):
    _inherit = "isp.demo.generator"

    @api.model
    def _generate(self, *args, **kwargs):
        """The records of the addons below, the NAS given their RouterOS API access."""
        result = super()._generate(*args, **kwargs)
        self._give_router_access(result["nas"])
        return result

    @api.model
    def generate_router_access(self):
        """RouterOS API access for the NAS isp_base's demo data made before this addon was
        installed (the demo data file; system administrators); a NAS that already has an API
        user is left as it is. Returns the ids of the NAS given access."""
        if not (self.env.is_superuser() or self.env.user._is_system()):
            raise AccessError(self.env._("Only system administrators can generate demo data."))
        _sites, rows = demo_generator.network()
        demo_routers_by_address = {row["ip_address"]: row["site_key"] for row in rows}
        candidates = (
            self.env["isp.nas"]
            .sudo()
            .with_context(active_test=False)
            .search([("ip_address", "in", list(demo_routers_by_address)), ("api_username", "=", False)])
        )
        nas = candidates.filtered(lambda n: n.site_id.code == demo_routers_by_address[n.ip_address])
        self.sudo()._give_router_access(nas)
        return nas.ids

    @api.model
    def _give_router_access(self, nas):
        for router in nas:
            router.write(demo_routers.api_access(router.site_id.code, router.ip_address))
