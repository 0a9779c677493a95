# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _isp_open_incidents(self):
        """The open outage incidents that affect this customer, for the portal's banner.

        A list of dicts ``{"name", "date_start", "description"}`` (``date_start`` a datetime or
        False, ``description`` plain text or False), newest first; empty here. The helpdesk
        addon overrides it with the incidents of the customer's site and the sites above it.
        """
        self.ensure_one()
        return []
