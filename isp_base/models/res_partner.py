# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.phone_validation.tools.phone_validation import phone_format

from ..lib.geo import valid_coordinates

PHONE_FIELDS = ("phone", "mobile")


class ResPartner(models.Model):
    """ISP customers are contacts with a customer number, a national ID, a service
    location (base_geolocalize's coordinates) and phone numbers kept in E.164."""

    _inherit = "res.partner"

    is_isp_customer = fields.Boolean(string="ISP Customer", index=True, tracking=True)
    isp_customer_number = fields.Char(
        string="Customer Number", readonly=True, copy=False, index=True, tracking=True
    )
    national_id = fields.Char(
        string="National ID", copy=False, index=True, help="KTP NIK, passport number, ..."
    )
    isp_site_id = fields.Many2one(
        "isp.site",
        string="Serving Site",
        index=True,
        help="Access point, tower or OLT serving this customer.",
        # res.partner has no _check_company_auto (Odoo 18 only gives it a
        # _check_company_domain, for records linking to partners), and turning it on
        # would check every company field of every addon on contacts: create and write
        # call _check_company on this field alone.
        check_company=True,
    )

    _sql_constraints = [
        (
            "isp_customer_number_unique",
            "UNIQUE(isp_customer_number)",
            "This customer number is already used.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        sequence = None
        for vals in vals_list:
            if vals.get("national_id"):
                vals["national_id"] = self._isp_clean_national_id(vals["national_id"])
            if vals.get("is_isp_customer"):
                if not vals.get("company_id"):
                    vals["company_id"] = self._isp_default_company(vals.get("parent_id")).id
                country = (
                    self.env["res.country"].browse(vals.get("country_id")) or self.env.company.country_id
                )
                for field in PHONE_FIELDS:
                    if vals.get(field):
                        vals[field] = self._isp_e164(vals[field], country, vals.get("name"))
                if not vals.get("isp_customer_number"):
                    sequence = sequence or self._isp_customer_sequence()
                    vals["isp_customer_number"] = sequence._next()
        partners = super().create(vals_list)
        partners.filtered("isp_site_id")._check_company(["isp_site_id"])
        return partners

    def write(self, vals):
        if vals.get("national_id"):
            vals["national_id"] = self._isp_clean_national_id(vals["national_id"])
        result = super().write(vals)
        if {"is_isp_customer", "company_id", "parent_id"} & set(vals):
            by_company = defaultdict(lambda: self.browse())
            for partner in self.filtered(lambda p: p.is_isp_customer and not p.company_id):
                by_company[self._isp_default_company(partner.parent_id.id, partner)] |= partner
            for company, partners in by_company.items():
                super(ResPartner, partners).write({"company_id": company.id})
        if {"isp_site_id", "company_id", "parent_id"} & set(vals):
            self.filtered("isp_site_id")._check_company(["isp_site_id"])
        if {"is_isp_customer", "country_id", *PHONE_FIELDS} & set(vals):
            sequence = None
            for partner in self.filtered("is_isp_customer"):
                updates = {}
                country = partner.country_id or self.env.company.country_id
                for field in PHONE_FIELDS:
                    if partner[field]:
                        number = self._isp_e164(partner[field], country, partner.display_name)
                        if number != partner[field]:
                            updates[field] = number
                if not partner.isp_customer_number:
                    sequence = sequence or self._isp_customer_sequence()
                    updates["isp_customer_number"] = sequence._next()
                if updates:
                    super(ResPartner, partner).write(updates)
        return result

    @api.model
    def _isp_default_company(self, parent_id=None, partner=None):
        """The company of a new ISP customer given none: its parent's, the one of the
        user it belongs to (Odoo wants a user's partner in the user's company), else the
        current company. Customers never stay shared between companies: their national
        ID, phones and address are the company's data."""
        parent = self.browse(parent_id).sudo() if parent_id else self.browse()
        user = partner.sudo().user_ids[:1] if partner else self.env["res.users"]
        return parent.company_id or user.company_id or self.env.company

    @api.model
    def _isp_customer_sequence(self):
        """The customer number sequence, looked up once per batch (next_by_code searches each time)."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", "isp.customer"), ("company_id", "in", [self.env.company.id, False])],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            raise UserError(
                self.env._("The sequence of ISP customer numbers (code isp.customer) is missing.")
            )
        return sequence

    @api.model
    def _isp_clean_national_id(self, national_id):
        return "".join(national_id.split()).upper()

    @api.model
    def _isp_e164(self, number, country, name=None):
        """``number`` in E.164 form, read as a number of ``country`` unless it starts with +."""
        try:
            return phone_format(
                number, country.code, country.phone_code, force_format="E164", raise_exception=True
            )
        except UserError as error:
            raise ValidationError(
                self.env._(
                    "The phone number %(number)s of %(customer)s is not valid for %(country)s. "
                    "Enter it in international form (+62 812 ...) or set the customer's country.",
                    number=number,
                    customer=name or self.env._("this customer"),
                    country=country.name or self.env._("an unknown country"),
                )
            ) from error

    @api.constrains("national_id", "is_isp_customer", "company_id")
    def _check_national_id_unique(self):
        """One national ID per customer within a company (company-less customers share one scope
        with every company). Checked with one query per batch: imports create thousands at once."""
        customers = self.filtered(lambda p: p.is_isp_customer and p.national_id)
        if not customers:
            return
        others = self.search(
            [
                ("id", "not in", customers.ids),
                ("is_isp_customer", "=", True),
                ("national_id", "in", list(set(customers.mapped("national_id")))),
            ]
        )
        holders = {}
        for partner in others + customers:
            holders.setdefault(partner.national_id, self.browse())
            for holder in holders[partner.national_id]:
                if not holder.company_id or not partner.company_id or holder.company_id == partner.company_id:
                    raise ValidationError(
                        self.env._(
                            "National ID %(national_id)s is already used by customer %(customer)s.",
                            national_id=partner.national_id,
                            customer=holder.display_name,
                        )
                    )
            holders[partner.national_id] |= partner

    @api.constrains("partner_latitude", "partner_longitude")
    def _check_service_location(self):
        for partner in self:
            if not valid_coordinates(partner.partner_latitude, partner.partner_longitude):
                raise ValidationError(
                    self.env._(
                        "The location of %s is out of range: latitude must be within -90..90 "
                        "and longitude within -180..180.",
                        partner.display_name,
                    )
                )
