# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.osv import expression

SEARCH_OPERATORS = ("ilike", "like", "=ilike", "=like", "=")


class IspSearchMixin(models.AbstractModel):
    """One search key for the search box and the many2one dropdowns of a model: the model
    says what a typed text matches in ``_isp_search_domain``."""

    _name = "isp.search.mixin"
    _description = "ISP Search Key"

    isp_search = fields.Char(string="Search", compute="_compute_isp_search", search="_search_isp_search")

    def _compute_isp_search(self):
        self.isp_search = False

    @api.model
    def _search_isp_search(self, operator, value):
        if operator not in SEARCH_OPERATORS or not isinstance(value, str) or not value.strip():
            return expression.FALSE_DOMAIN
        return self._isp_search_domain(value)

    @api.model
    def _search_display_name(self, operator, value):
        """Many2one dropdowns find records by the same keys as the search box."""
        domain = super()._search_display_name(operator, value)
        if operator in SEARCH_OPERATORS and isinstance(value, str) and value.strip():
            domain = expression.OR([domain, self._isp_search_domain(value)])
        return domain

    @api.model
    def _isp_search_domain(self, text):
        """The records whose keys match ``text``."""
        raise NotImplementedError
