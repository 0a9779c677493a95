{
    "name": "ISP Subscriptions",
    "summary": "Customers' internet services: states, PPPoE credentials and network provisioning",
    "version": "18.0.1.0.0",
    "category": "Services/ISP",
    "author": "ISP Odoo Contributors",
    "license": "AGPL-3",
    "installable": True,
    "depends": ["isp_base", "queue_job"],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "views/isp_subscription_views.xml",
        "views/isp_provisioner_views.xml",
        "views/isp_menus.xml",
    ],
    "demo": ["demo/isp_subscription_demo.xml"],
}
