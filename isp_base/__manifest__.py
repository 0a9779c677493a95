# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

{
    "name": "ISP Base",
    "summary": "Service plans, ISP customers, network sites and NAS for internet service providers",
    "version": "18.0.1.0.1",
    "category": "Services/ISP",
    "author": "ISP Odoo Contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "application": True,
    "installable": True,
    "depends": ["contacts", "product", "mail", "base_geolocalize", "phone_validation"],
    "external_dependencies": {"python": ["phonenumbers"]},
    "data": [
        "security/isp_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/isp_site_views.xml",
        "views/isp_nas_views.xml",
        "views/isp_menus.xml",
    ],
    "demo": ["demo/isp_demo.xml"],
    "assets": {
        "web.assets_tests": ["isp_base/static/tests/tours/*.js"],
    },
}
