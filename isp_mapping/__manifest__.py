# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

{
    "name": "ISP Customer Map",
    "summary": "Subscriptions and network sites on a map: status colours, outages, repair routes, planning",
    "version": "18.0.1.0.0",
    "category": "Services/ISP",
    "author": "ISP Odoo Contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["isp_subscription", "web_leaflet_lib"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "security/isp_mapping_security.xml",
        "data/ir_config_parameter_data.xml",
        "report/isp_map_route_report.xml",
        "views/isp_map_views.xml",
        "views/isp_site_views.xml",
        "views/isp_subscription_views.xml",
        "views/isp_mapping_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "isp_mapping/static/src/**/*",
        ],
        "web.assets_tests": ["isp_mapping/static/tests/tours/*.js"],
    },
    "uninstall_hook": "uninstall_hook",
}
