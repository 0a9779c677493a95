# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

{
    "name": "ISP Helpdesk",
    "summary": "Tickets with the customer's network and billing context, outage incidents, notifications and credits",
    "version": "18.0.1.0.0",
    "category": "Services/ISP",
    "author": "ISP Odoo Contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["isp_subscription", "helpdesk_mgmt", "helpdesk_mgmt_sla"],
    "external_dependencies": {"python": []},
    "data": [
        "security/ir.model.access.csv",
        "security/isp_helpdesk_security.xml",
        "data/helpdesk_data.xml",
        "data/helpdesk_sla_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/isp_incident_views.xml",
        "views/res_config_settings_credit_views.xml",
        "views/isp_helpdesk_menus.xml",
    ],
    "demo": ["demo/helpdesk_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "isp_helpdesk/static/tests/tours/**/*",
        ],
    },
}
