# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import base64
import json
import logging
from datetime import date

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.isp_base.access import check_isp_group

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "isp_base.group_isp_manager"
EXPORT_PREFIX = "customer-data-"
# Contact fields blanked by the anonymisation (the name is replaced).
BLANKED_FIELDS = (
    "phone",
    "mobile",
    "email",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "vat",
    "website",
    "comment",
    "function",
    "national_id",
    "image_1920",
)


class ResPartner(models.Model):
    """Data retention: former customers anonymised after the company's retention period, and
    one customer's data exported on request.

    Invoices stay legally intact: posted moves are never written. Odoo shows an invoice's
    partner by its current name, but the move keeps a stored snapshot of it
    (``invoice_partner_display_name``), which the anonymisation protects from recomputation,
    and the invoice PDF already issued stays attached to the invoice. A customer who still
    owes money is not anonymised.
    """

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    isp_anonymised_date = fields.Date(
        string="Anonymised On",
        readonly=True,
        copy=False,
        help="Personal data removed under the retention policy.",
    )

    @api.model
    def _cron_isp_anonymise(self, today=None):
        """Daily: anonymise the customers of the companies with a retention period whose
        subscriptions all ended more than that many years ago and who owe nothing."""
        partners = self._isp_retention_due(today or fields.Date.context_today(self))
        if partners:
            partners._isp_anonymise()
            _logger.info("Anonymised %s former customers", len(partners))
        return True

    @api.model
    def _isp_retention_due(self, today):
        """The former customers to anonymise on ``today`` (one query)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id
                  FROM res_partner p
                  JOIN res_company c ON c.id = p.company_id AND c.isp_retention_years > 0
                 WHERE p.is_isp_customer AND p.isp_anonymised_date IS NULL
                   AND EXISTS (SELECT 1 FROM isp_subscription s WHERE s.partner_id = p.id)
                   AND NOT EXISTS (
                        SELECT 1 FROM isp_subscription s
                         WHERE s.partner_id = p.id
                           AND (s.state != 'terminated' OR s.date_end IS NULL
                                OR s.date_end >= %(today)s - make_interval(years => c.isp_retention_years)))
                   AND NOT EXISTS (
                        SELECT 1 FROM account_move m
                         WHERE m.commercial_partner_id = p.id AND m.state = 'posted'
                           AND m.move_type IN ('out_invoice', 'out_refund')
                           AND m.payment_state IN ('not_paid', 'partial'))
                """,
                today=today,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _isp_anonymise(self):
        """Remove the personal data of these customers (and of their contacts): names, phones,
        emails, addresses, national ID, coordinates, PPPoE credentials and static IPs, their
        chatter, text messages and data exports. Accounting entries are left as they are."""
        partners = self.sudo().with_context(tracking_disable=True, mail_notrack=True, active_test=False)
        contacts = partners.search([("id", "child_of", partners.ids)])
        moves = self.env["account.move"].sudo().search([("partner_id", "in", contacts.ids)])
        snapshot = moves._fields["invoice_partner_display_name"]
        today = fields.Date.context_today(self)
        with self.env.protecting([snapshot], moves):
            for partner in contacts:
                values = dict.fromkeys(BLANKED_FIELDS, False)
                values.update(
                    name=self.env._("Former customer %s", partner.isp_customer_number or partner.id),
                    partner_latitude=0.0,
                    partner_longitude=0.0,
                )
                if partner in partners:
                    values["isp_anonymised_date"] = today
                partner.write(values)
            self.env.flush_all()
        subscriptions = (
            self.env["isp.subscription"]
            .sudo()
            .with_context(tracking_disable=True, mail_notrack=True)
            .search([("partner_id", "in", contacts.ids)])
        )
        subscriptions.write(
            {
                "pppoe_username": False,
                "pppoe_password": False,
                "static_ip": False,
                "latitude": 0,
                "longitude": 0,
            }
        )
        self.env["mail.message"].sudo().search(
            [
                "|",
                "&",
                ("model", "=", "res.partner"),
                ("res_id", "in", contacts.ids),
                "&",
                ("model", "=", "isp.subscription"),
                ("res_id", "in", subscriptions.ids),
            ]
        ).unlink()
        self.env["isp.sms.message"].sudo().search([("partner_id", "in", contacts.ids)]).write(
            {"number": "-", "body": "-"}
        )
        self.env["ir.attachment"].sudo().search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", contacts.ids),
                ("name", "=like", EXPORT_PREFIX + "%"),
            ]
        ).unlink()
        users = contacts.with_context(active_test=False).user_ids.filtered("share")
        for user in users:
            user.sudo().write({"login": f"former-customer-{user.id}", "active": False})
        for partner in partners:
            partner.message_post(body=self.env._("Personal data removed under the data retention policy."))
        return True

    def action_isp_export_data(self):
        """Export this customer's data (ISP Manager): contact, subscriptions, invoices and
        monthly usage, as a JSON file attached to the customer, downloaded at once."""
        self.ensure_one()
        check_isp_group(self.env, MANAGER_GROUP)
        self.check_access("read")
        data = self._isp_export_data()
        name = f"{EXPORT_PREFIX}{self.isp_customer_number or self.id}-{fields.Date.context_today(self)}.json"
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "res_model": "res.partner",
                "res_id": self.id,
                "mimetype": "application/json",
                "datas": base64.b64encode(
                    json.dumps(data, indent=2, ensure_ascii=False, default=str).encode()
                ),
            }
        )
        self.message_post(body=self.env._("Personal data exported on request: %s", name))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _isp_export_data(self):
        """Everything the ISP keeps about this customer, as plain JSON values."""
        self.ensure_one()
        contact_fields = [
            "name",
            "isp_customer_number",
            "national_id",
            "email",
            "phone",
            "mobile",
            "street",
            "street2",
            "zip",
            "city",
            "vat",
            "partner_latitude",
            "partner_longitude",
            "lang",
        ]
        contact = {name: self[name] for name in contact_fields}
        contact.update(
            state=self.state_id.name or None,
            country=self.country_id.name or None,
            serving_site=self.isp_site_id.display_name or None,
        )
        subscriptions = (
            self.env["isp.subscription"]
            .with_context(active_test=False)
            .search([("partner_id", "=", self.id)])
        )
        usage = self.env["isp.usage.daily"]._read_group(
            [("subscription_id", "in", subscriptions.ids)],
            ["subscription_id", "day:month"],
            ["bytes_down:sum", "bytes_up:sum", "session_seconds:sum"],
        )
        usage_by_subscription = {}
        for subscription, month, down, up, seconds in usage:
            usage_by_subscription.setdefault(subscription.id, []).append(
                {
                    "month": month.strftime("%Y-%m") if isinstance(month, date) else str(month),
                    "bytes_down": down,
                    "bytes_up": up,
                    "session_seconds": seconds,
                }
            )
        moves = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                    ("state", "=", "posted"),
                ],
                order="invoice_date, id",
            )
        )
        return {
            "exported_on": fields.Datetime.now().isoformat(),
            "company": self.company_id.name or self.env.company.name,
            "contact": contact,
            "subscriptions": [
                {
                    "reference": subscription.name,
                    "plan": subscription.product_id.display_name,
                    "state": subscription.state,
                    "start": subscription.date_start,
                    "end": subscription.date_end,
                    "pppoe_username": subscription.pppoe_username,
                    "static_ip": subscription.static_ip,
                    "site": subscription.site_id.display_name or None,
                    "latitude": subscription.latitude,
                    "longitude": subscription.longitude,
                    "usage_by_month": usage_by_subscription.get(subscription.id, []),
                }
                for subscription in subscriptions
            ],
            "invoices": [
                {
                    "number": move.name,
                    "type": move.move_type,
                    "date": move.invoice_date,
                    "due": move.invoice_date_due,
                    "currency": move.currency_id.name,
                    "total": move.amount_total,
                    "residual": move.amount_residual,
                    "payment_state": move.payment_state,
                }
                for move in moves
            ],
        }
