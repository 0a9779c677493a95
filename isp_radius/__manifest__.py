# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

{
    "name": "ISP FreeRADIUS",
    "summary": "Provision subscriptions into FreeRADIUS SQL databases, send CoA/Disconnect, read accounting",
    "version": "18.0.1.0.1",
    "category": "Services/ISP",
    "author": "ISP Odoo Contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["isp_subscription"],
    "external_dependencies": {"python": ["pyrad"]},
    "data": [
        "security/isp_radius_security.xml",
        "security/ir.model.access.csv",
        "data/isp_provisioner_data.xml",
        "data/ir_cron_data.xml",
        "views/isp_radius_server_views.xml",
        "views/isp_radius_session_views.xml",
        "views/isp_nas_views.xml",
        "views/isp_subscription_views.xml",
        "views/product_template_views.xml",
        "views/isp_radius_menus.xml",
    ],
}
