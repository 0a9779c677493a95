# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

{
    "name": "ISP Customer Portal",
    "summary": "Customers see their service and usage, pay, change plan, renew and ask for help",
    "version": "18.0.1.0.0",
    "category": "Services/ISP",
    "author": "ISP Odoo Contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["isp_subscription", "portal", "account_payment"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "views/product_template_views.xml",
        "views/portal_templates.xml",
        "data/queue_job_data.xml",
        "views/isp_subscription_views.xml",
        "views/payment_templates.xml",
        "views/product_template_package_views.xml",
        "views/package_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "isp_portal/static/src/scss/isp_portal.scss",
        ],
        "web.assets_tests": [
            "isp_portal/static/tests/tours/isp_portal_change_plan.js",
            "isp_portal/static/tests/tours/isp_portal_pay.js",
            "isp_portal/static/tests/tours/isp_portal_buy_package.js",
        ],
    },
}
