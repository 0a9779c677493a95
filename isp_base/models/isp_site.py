# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib.geo import valid_coordinates


class IspSite(models.Model):
    """A place of the network: point of presence, tower, access point or OLT."""

    _name = "isp.site"
    _description = "Network Site"
    _inherit = ["mail.thread"]
    _parent_store = True
    _order = "complete_name"
    _rec_name = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    code = fields.Char(required=True, tracking=True)
    site_type = fields.Selection(
        [("pop", "Point of Presence"), ("tower", "Tower"), ("access_point", "Access Point"), ("olt", "OLT")],
        string="Type",
        required=True,
        default="tower",
        tracking=True,
    )
    parent_id = fields.Many2one(
        "isp.site", string="Parent Site", index=True, ondelete="restrict", tracking=True, check_company=True
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("isp.site", "parent_id", string="Child Sites")
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)
    notes = fields.Html()
    nas_ids = fields.One2many("isp.nas", "site_id", string="NAS / Routers")
    customer_ids = fields.One2many("res.partner", "isp_site_id", string="Customers")
    customer_count = fields.Integer(compute="_compute_customer_count")
    uplink_capacity_mbps = fields.Float(
        string="Uplink Capacity (Mbit/s)",
        digits=(16, 1),
        tracking=True,
        help="Download capacity of the site's link towards the core: the contention report compares the "
        "speeds sold behind the site with it.",
    )

    _sql_constraints = [
        ("code_company_unique", "UNIQUE(code, company_id)", "A site code must be unique per company."),
    ]

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for site in self:
            # sudo: a site of another company as parent is refused by the company check,
            # with a clear message, which needs this name first
            parent = site.parent_id.sudo()
            site.complete_name = f"{parent.complete_name} / {site.name}" if parent else site.name

    def _compute_customer_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("isp_site_id", "in", self.ids), ("is_isp_customer", "=", True)],
                ["isp_site_id"],
                ["__count"],
            )
        )
        for site in self:
            site.customer_count = counts.get(site, 0)

    def write(self, vals):
        # Checked before the parent store update, which would refuse a cycle
        # with a bare "Recursion Detected." error.
        if vals.get("parent_id") and self.search_count(
            [("id", "child_of", self.ids), ("id", "=", vals["parent_id"])], limit=1
        ):
            raise self._cycle_error()
        if vals.get("parent_id"):
            # before the parent store update, which reads the parent as the user and would
            # answer a site of another company with a bare access error
            parent = self.browse(vals["parent_id"]).sudo()
            for site in self:
                company = self.env["res.company"].browse(vals.get("company_id")) or site.company_id
                if parent.company_id != company:
                    raise UserError(
                        self.env._(
                            "Site %(site)s belongs to company %(company)s: its parent site "
                            "%(parent)s belongs to another company.",
                            site=site.display_name,
                            company=company.display_name,
                            parent=parent.display_name,
                        )
                    )
        result = super().write(vals)
        if "company_id" in vals:
            # what hangs below a site must follow it to its new company
            sites = self.with_context(active_test=False)
            sites.child_ids._check_company(["parent_id"])
            sites.nas_ids._check_company(["site_id"])
            sites.customer_ids._check_company(["isp_site_id"])
        return result

    def _cycle_error(self):
        return ValidationError(
            self.env._("A site cannot be its own parent, directly or through other sites.")
        )

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise self._cycle_error()

    @api.constrains("latitude", "longitude")
    def _check_coordinates(self):
        for site in self:
            if not valid_coordinates(site.latitude, site.longitude):
                raise ValidationError(
                    self.env._(
                        "Site %s: latitude must be within -90..90 and longitude within -180..180.", site.name
                    )
                )

    def action_view_customers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("isp_base.action_isp_customers")
        action["domain"] = [("isp_site_id", "child_of", self.id)]
        return action
