# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models, tools
from odoo.tools import SQL


class IspReportReceivableAging(models.Model):
    """What ISP customers still owe, by how long it is overdue: the open amount (in the
    company's currency) of every posted customer invoice, in the buckets of ``lib/kpi.py``
    (the due day itself is not overdue yet)."""

    _name = "isp.report.receivable.aging"
    _description = "ISP Receivables Aging"
    _auto = False
    _order = "days_overdue desc, id"
    _rec_name = "move_id"

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    invoice_date = fields.Date(readonly=True)
    invoice_date_due = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(
        [
            ("not_due", "Not Due"),
            ("0_30", "0-30 Days"),
            ("31_60", "31-60 Days"),
            ("61_90", "61-90 Days"),
            ("90_plus", "90+ Days"),
        ],
        string="Overdue",
        readonly=True,
    )
    amount_residual = fields.Monetary(string="Amount Due", readonly=True)
    amount_overdue = fields.Monetary(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT a.*,
                           CASE WHEN a.days_overdue <= 0 THEN 'not_due'
                                WHEN a.days_overdue <= 30 THEN '0_30'
                                WHEN a.days_overdue <= 60 THEN '31_60'
                                WHEN a.days_overdue <= 90 THEN '61_90'
                                ELSE '90_plus' END AS bucket,
                           CASE WHEN a.days_overdue > 0 THEN a.amount_residual ELSE 0 END AS amount_overdue
                      FROM (
                        SELECT am.id, am.id AS move_id, am.partner_id, am.company_id, co.currency_id,
                               am.invoice_date, am.invoice_date_due,
                               (CURRENT_DATE - COALESCE(am.invoice_date_due, am.invoice_date)) AS days_overdue,
                               am.amount_residual_signed AS amount_residual
                          FROM account_move am
                          JOIN res_partner p ON p.id = am.partner_id
                          JOIN res_company co ON co.id = am.company_id
                         WHERE am.move_type = 'out_invoice'
                           AND am.state = 'posted'
                           AND am.amount_residual_signed > 0
                           AND p.is_isp_customer
                      ) a
                )
                """,
                SQL.identifier(self._table),
            )
        )
