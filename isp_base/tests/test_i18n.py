# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import IspBaseCommon


@tagged("post_install", "-at_install")
class TestTranslations(IspBaseCommon):
    """Our first users speak Indonesian and Russian: labels and errors come in their language."""

    def _activate(self, lang):
        self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"].search([("name", "=", "isp_base")])._update_translations(lang)

    def test_indonesian(self):
        self._activate("id_ID")
        nas_model = self.env["isp.nas"].with_context(lang="id_ID")
        self.assertEqual(nas_model.fields_get(["ip_address"])["ip_address"]["string"], "Alamat IP")
        with self.assertRaisesRegex(ValidationError, "bukan alamat IPv4 atau IPv6 yang valid"):
            nas_model.create({"name": "Bad", "ip_address": "nope"})

    def test_russian(self):
        self._activate("ru_RU")
        partner_model = self.env["res.partner"].with_context(lang="ru_RU")
        self.assertEqual(
            partner_model.fields_get(["isp_customer_number"])["isp_customer_number"]["string"],
            "Номер абонента",
        )
        with self.assertRaisesRegex(ValidationError, "недопустим для страны"):
            partner_model.create(self.customer_vals(mobile="12"))
