# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

{
    "name": "ISP Helpdesk on the Map",
    "summary": "The map's outage tool opens an outage incident and notifies the affected customers",
    "version": "18.0.1.0.0",
    "category": "Services/ISP",
    "author": "ISP Odoo Contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "auto_install": True,
    "depends": ["isp_helpdesk", "isp_mapping"],
    "data": [],
    "assets": {"web.assets_tests": ["isp_helpdesk_mapping/static/tests/tours/*.js"]},
}
