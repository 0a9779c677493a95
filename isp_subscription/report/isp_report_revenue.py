# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL


class IspReportRevenue(models.Model):
    """Invoiced revenue of ISP customers, line by line (posted invoices less credit notes,
    untaxed, in the company's currency), by plan, site and area (the customer's city and
    state)."""

    _name = "isp.report.revenue"
    _description = "ISP Revenue"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"

    date = fields.Date(string="Invoice Date", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    subscription_id = fields.Many2one("isp.subscription", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    plan_id = fields.Many2one(
        "product.product",
        readonly=True,
        help="The plan invoiced; for add-ons, usage and fees, the subscription's plan now.",
    )
    site_id = fields.Many2one("isp.site", readonly=True)
    city = fields.Char(readonly=True)
    state_id = fields.Many2one("res.country.state", readonly=True)
    revenue = fields.Monetary(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT aml.id, am.invoice_date AS date, am.id AS move_id, am.partner_id, am.company_id,
                           co.currency_id, aml.isp_subscription_id AS subscription_id, aml.product_id,
                           CASE WHEN lt.is_isp_plan THEN aml.product_id ELSE s.product_id END AS plan_id,
                           COALESCE(s.site_id, p.isp_site_id) AS site_id,
                           p.city, p.state_id, -aml.balance AS revenue
                      FROM account_move_line aml
                      JOIN account_move am ON am.id = aml.move_id
                      JOIN res_partner p ON p.id = am.partner_id
                      JOIN res_company co ON co.id = am.company_id
                      LEFT JOIN isp_subscription s ON s.id = aml.isp_subscription_id
                      LEFT JOIN product_product lp ON lp.id = aml.product_id
                      LEFT JOIN product_template lt ON lt.id = lp.product_tmpl_id
                     WHERE am.move_type IN ('out_invoice', 'out_refund')
                       AND am.state = 'posted'
                       AND aml.display_type = 'product'
                       AND p.is_isp_customer
                )
                """,
                SQL.identifier(self._table),
            )
        )
