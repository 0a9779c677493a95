# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

{
    "name": "ISP Sales: Tariff Builder",
    "summary": "Recommend a plan and price from a prospect's needs, quote it, and start the subscription",
    "version": "18.0.1.0.0",
    "category": "Services/ISP",
    "author": "ISP Odoo Contributors",
    "license": "AGPL-3",
    "development_status": "Beta",
    "installable": True,
    "depends": ["isp_subscription", "sale"],
    "data": [
        "security/ir.model.access.csv",
        "data/product_data.xml",
        "wizards/isp_tariff_builder_views.xml",
        "views/sale_order_views.xml",
        "views/isp_subscription_views.xml",
        "views/isp_sale_menus.xml",
    ],
}
