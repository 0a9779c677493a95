# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

{
    "name": "ISP RouterOS",
    "summary": "Provision MikroTik routers over the RouterOS API: PPPoE secrets, queues, suspension list",
    "version": "18.0.1.0.0",
    "category": "Services/ISP",
    "author": "ISP Odoo Contributors",
    # librouteros is GPL-2.0-or-later, which AGPL-3 code may use.
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["isp_subscription"],
    "external_dependencies": {"python": ["librouteros"]},
    "data": [
        "security/ir.model.access.csv",
        "data/isp_provisioner_data.xml",
        "data/ir_cron_data.xml",
        "views/isp_nas_views.xml",
        "wizards/isp_routeros_reconcile_views.xml",
    ],
    "demo": ["demo/isp_network_demo.xml"],
}
