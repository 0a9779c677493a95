# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import re

import phonenumbers

from odoo import api, fields, models
from odoo.osv import expression

# Text that may be (part of) a phone number: digits with the usual separators.
PHONE_TEXT = re.compile(r"^\+?[\d\s().\-/]+$")
# Fewer digits than this match too many numbers to be worth a phone search.
PHONE_MIN_DIGITS = 4


class ResPartner(models.Model):
    """The customers' search box: a customer number, a national ID or a phone number typed
    the way people say it (``0812 3456 7890`` finds the stored ``+6281234567890``)."""

    _name = "res.partner"
    _inherit = ["res.partner", "isp.search.mixin"]

    isp_search = fields.Char(
        string="Customer Number, Phone or National ID",
        help="Search only: a customer number, a national ID, a phone number in local or "
        "international form (and, with subscriptions, a PPPoE username).",
    )

    @api.model
    def _isp_search_domain(self, text):
        """Partners whose customer number, national ID or phone matches ``text``; addons
        add their own keys (isp_subscription: the PPPoE username)."""
        text = text.strip()
        domains = [
            [("isp_customer_number", "ilike", text)],
            [("national_id", "ilike", self._isp_clean_national_id(text))],
        ]
        for term in self._isp_phone_search_terms(text):
            domains += [[("phone", "ilike", term)], [("mobile", "ilike", term)]]
        return expression.OR(domains)

    @api.model
    def _isp_phone_search_terms(self, text):
        """What to look for in the stored phone numbers (E.164 for ISP customers) when
        ``text`` looks like a phone number: its digits as typed, and its international form
        read with the company's country (a whole number through ``phonenumbers``, the
        beginning of one by swapping the national prefix for the country code)."""
        if not PHONE_TEXT.match(text):
            return []
        digits = re.sub(r"\D", "", text)
        if len(digits) < PHONE_MIN_DIGITS:
            return []
        terms = [digits]
        country = self.env.company.country_id
        international = None
        if text.startswith("+"):
            international = "+" + digits
        elif digits.startswith("00"):
            international = "+" + digits[2:]
        elif country.code:
            try:
                number = phonenumbers.parse(text, country.code)
            except phonenumbers.NumberParseException:
                number = None
            if number is not None and phonenumbers.is_possible_number(number):
                international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            else:
                metadata = phonenumbers.PhoneMetadata.metadata_for_region(country.code)
                prefix = metadata and metadata.national_prefix
                code = phonenumbers.country_code_for_region(country.code)
                if prefix and code and digits.startswith(prefix):
                    international = f"+{code}{digits[len(prefix) :]}"
        if international and international not in terms:
            terms.append(international)
        return terms
