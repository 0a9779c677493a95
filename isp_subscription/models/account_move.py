# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
import random

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

# Stored fields a check of the fast path does not compare: the record's own identity and
# bookkeeping, which differ between any two records.
UNCOMPARED_FIELDS = {"id", "create_uid", "create_date", "write_uid", "write_date", "move_id"}
# The fields of the invoices themselves that a check compares besides every stored field
# of their journal items (the others follow from the values given, or from the items).
COMPARED_MOVE_FIELDS = (
    "partner_id",
    "commercial_partner_id",
    "partner_shipping_id",
    "currency_id",
    "fiscal_position_id",
    "invoice_payment_term_id",
    "invoice_date_due",
    "amount_untaxed",
    "amount_tax",
    "amount_total",
    "amount_residual",
    "amount_untaxed_signed",
    "amount_tax_signed",
    "amount_total_signed",
    "amount_total_in_currency_signed",
    "amount_residual_signed",
)
# Journal items come in this order, within an invoice, for a comparison.
DISPLAY_TYPE_ORDER = {"product": 0, "tax": 1, "payment_term": 2}


class AccountMove(models.Model):
    _inherit = "account.move"

    isp_invoice = fields.Boolean(
        string="ISP Invoice", readonly=True, copy=False, index=True, help="Made by an ISP invoicing run."
    )
    isp_invoice_run_id = fields.Many2one("isp.invoice.run", string="Invoicing Run", readonly=True, copy=False)
    isp_late_fee_invoice = fields.Boolean(string="Late Fee Invoice", readonly=True, copy=False)
    isp_dunning_log_ids = fields.One2many("isp.dunning.log", "move_id", string="Dunning", readonly=True)
    isp_dunning_date = fields.Date(
        string="Last Dunning Step",
        readonly=True,
        copy=False,
        help="Written with every dunning step, so that a payment and a dunning run of the same "
        "invoice never run side by side unnoticed.",
    )

    def _invoice_paid_hook(self):
        """Reconnect at once customers whose payment settled what got them suspended."""
        result = super()._invoice_paid_hook()
        paid = self.filtered(lambda move: move.isp_invoice and move.move_type == "out_invoice")
        if paid:
            self.env["isp.subscription"]._reconnect_paid(paid.partner_id)
        return result

    @api.model
    def _isp_create_invoices(self, vals_list, check=True):
        """Create the invoices of ``vals_list`` (drafts), quickly: ``(moves, difference)``,
        the moves in the order of ``vals_list``.

        Most invoices get their journal items from :meth:`_isp_with_journal_items` and skip
        Odoo's synchronisation of invoice lines; the others (see there) go through it. With
        ``check``, one of the fast invoices, taken at random, is made again through Odoo's
        own path inside a savepoint that is rolled back, and every stored field of their
        journal items is compared: should an Odoo update change a tax, account or payment
        term rule, the fast path would post something else than Odoo would. On any
        difference, every invoice of ``vals_list`` is made through Odoo's path, a warning
        is logged, and ``difference`` is ``{"vals": <the sampled invoice's values>,
        "message": <what differs>}`` (None when the check found nothing).
        """
        completed = self._isp_with_journal_items(vals_list)
        fast_index = [index for index, values in enumerate(completed) if values]
        difference = None
        moves = [None] * len(vals_list)
        if fast_index:
            Fast = self.with_context(skip_invoice_sync=True, skip_invoice_line_sync=True)
            with self.env.cr.savepoint() as savepoint:
                fast = Fast.create([completed[index] for index in fast_index])
                if check:
                    sample = random.randrange(len(fast_index))
                    message = self._isp_check_with_odoo(vals_list[fast_index[sample]], fast[sample])
                    if message:
                        difference = {"vals": vals_list[fast_index[sample]], "message": message}
                        savepoint.rollback()
                if not difference:
                    for index, move in zip(fast_index, fast, strict=True):
                        moves[index] = move.id
            if difference:
                _logger.warning(
                    "The fast path of invoices differs from Odoo's; these %s invoices are made "
                    "through Odoo's own path. An Odoo update may have changed a rule: report it. %s",
                    len(vals_list),
                    difference["message"],
                )
        slow_index = [index for index, move_id in enumerate(moves) if not move_id]
        slow = self.create([vals_list[index] for index in slow_index])
        for index, move in zip(slow_index, slow, strict=True):
            moves[index] = move.id
        return self.browse(moves), difference

    @api.model
    def _isp_check_with_odoo(self, vals, made):
        """What differs between the invoice ``made`` by the fast path from ``vals`` and the
        same invoice made from ``vals`` through Odoo's own path (inside a savepoint, rolled
        back): a text, or ``""`` when nothing does."""
        with self.env.cr.savepoint() as savepoint:
            expected = self.create(vals)
            self.env.flush_all()
            differences = self._isp_invoice_differences(made, expected)
            savepoint.rollback()
        return "\n".join(differences)

    @api.model
    def _isp_invoice_differences(self, made, expected):
        """``["<what>: <made> (fast path) / <expected> (Odoo)", ...]`` over the fields of
        ``COMPARED_MOVE_FIELDS`` and every stored field of the journal items (paired by
        type, then in their order)."""
        differences = []
        for name in COMPARED_MOVE_FIELDS:
            field = made._fields[name]
            mine, theirs = self._isp_comparable(made, field), self._isp_comparable(expected, field)
            if mine != theirs:
                differences.append(f"{name}: {mine} (fast path) / {theirs} (Odoo)")
        Line = self.env["account.move.line"]
        compared = [
            field
            for name, field in Line._fields.items()
            if field.store and field.type != "one2many" and name not in UNCOMPARED_FIELDS
        ]

        def ordered(move):
            return move.line_ids.sorted(
                lambda line: (
                    DISPLAY_TYPE_ORDER.get(line.display_type, 3),
                    line.display_type or "",
                    line.sequence,
                    line.date_maturity or fields.Date.to_date("1900-01-01"),
                    line.tax_repartition_line_id.id,
                    sorted(line.tax_ids.ids),
                    line.account_id.id,
                    line.balance,
                    line.id,
                )
            )

        made_lines, expected_lines = ordered(made), ordered(expected)
        kinds = made_lines.mapped("display_type")
        if kinds != expected_lines.mapped("display_type"):
            differences.append(
                f"journal items: {', '.join(kinds)} (fast path) / "
                f"{', '.join(expected_lines.mapped('display_type'))} (Odoo)"
            )
            return differences
        for number, (mine, theirs) in enumerate(zip(made_lines, expected_lines, strict=True), 1):
            for field in compared:
                mine_value = self._isp_comparable(mine, field)
                theirs_value = self._isp_comparable(theirs, field)
                if mine_value != theirs_value:
                    differences.append(
                        f"journal item {number} ({theirs.display_type}, {theirs.name or ''}), "
                        f"{field.name}: {mine_value} (fast path) / {theirs_value} (Odoo)"
                    )
        return differences

    @api.model
    def _isp_comparable(self, record, field):
        """A field's value of ``record`` as plain, comparable Python."""
        value = record[field.name]
        if field.type == "many2one":
            return value.id or False
        if field.type == "many2many":
            return sorted(value.ids)
        if field.type in ("float", "monetary"):
            return round(value or 0.0, 6)
        return value or False

    @api.model
    def _isp_with_journal_items(self, vals_list):
        """The invoices' values completed with every journal item, as Odoo's synchronisation
        of invoice lines would add them, so that they can be created with that
        synchronisation skipped (``skip_invoice_sync``): it is most of the cost of an invoice.

        Each ``vals`` holds ``invoice_line_ids`` as ``Command.create`` of product lines. The
        taxes, accounts, fiscal position, currency rate and payment terms are found as an
        invoice finds them, and Odoo's own tax engine computes the amounts. Invoices with an
        early payment discount are left to Odoo: ``None`` in the result.
        """
        Line = self.env["account.move.line"]
        # Without analytic distribution models, every line's distribution is empty: knowing it
        # spares a search per line.
        analytics = bool(self.env["account.analytic.distribution.model"].search_count([], limit=1))
        product_lookups = {}
        results = []
        for vals in vals_list:
            company = self.env["res.company"].browse(vals["company_id"])
            partner = self.env["res.partner"].browse(vals["partner_id"]).with_company(company)
            if partner.property_payment_term_id.early_discount:
                results.append(None)
                continue
            journal = self.env["account.journal"].browse(vals["journal_id"])
            delivery = self.env["res.partner"].browse(partner.address_get(["delivery"])["delivery"])
            fiscal_position = (
                self.env["account.fiscal.position"]
                .with_company(company)
                ._get_fiscal_position(partner, delivery=delivery)
            )
            # Rounded as the fields round them (quantity and price to their decimal precision).
            lines = [
                {
                    **line,
                    **{
                        name: Line._fields[name].convert_to_cache(line[name], Line)
                        for name in ("quantity", "price_unit")
                    },
                }
                for __, __, line in vals["invoice_line_ids"]
            ]
            for line in lines:
                key = (line["product_id"], fiscal_position, journal)
                if key not in product_lookups:
                    product = self.env["product.product"].browse(line["product_id"])
                    product_lookups[key] = self._isp_product_taxes_and_account(
                        product, fiscal_position, journal
                    )
            items = self._isp_journal_items(
                vals,
                partner,
                fiscal_position,
                lines,
                [product_lookups[(line["product_id"], fiscal_position, journal)] for line in lines],
                analytics,
            )
            completed = {
                **vals,
                "fiscal_position_id": fiscal_position.id,
                "invoice_payment_term_id": partner.property_payment_term_id.id,
                "line_ids": [Command.create(item) for item in items],
            }
            del completed["invoice_line_ids"]
            results.append(completed)
        return results

    @api.model
    def _isp_journal_items(self, vals, partner, fiscal_position, lines, lookups, analytics):
        """Product, tax and receivable journal items of one invoice (see above).

        ``analytics``: whether analytic distribution models exist, to look up each line's
        distribution as an invoice line does (taxes may be split by it).
        """
        AccountTax = self.env["account.tax"]
        company = self.env["res.company"].browse(vals["company_id"])
        currency = self.env["res.currency"].browse(vals["currency_id"])
        commercial = partner.commercial_partner_id
        inbound = vals["move_type"] in self.get_inbound_types()
        sign = -1 if inbound else 1
        rate = self.env["res.currency"]._get_conversion_rate(
            company.currency_id, currency, company, vals["invoice_date"]
        )
        Distribution = self.env["account.analytic.distribution.model"]
        base_lines = []
        for line, (taxes, account) in zip(lines, lookups, strict=True):
            product = self.env["product.product"].browse(line["product_id"])
            distribution = analytics and Distribution._get_distribution(
                {
                    "product_id": product.id,
                    "product_categ_id": product.categ_id.id,
                    "partner_id": commercial.id,
                    "partner_category_id": commercial.category_id.ids,
                    "account_prefix": account.code,
                    "company_id": company.id,
                }
            )
            base_lines.append(
                AccountTax._prepare_base_line_for_taxes_computation(
                    {**line, "analytic_distribution": distribution or False},
                    product_id=product,
                    tax_ids=taxes,
                    account_id=account,
                    partner_id=commercial,
                    currency_id=currency,
                    rate=rate,
                    sign=sign,
                    is_refund=vals["move_type"] == "out_refund",
                    tax_tag_invert=inbound,
                )
            )
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(base_lines, company)
        tax_results = AccountTax._prepare_tax_lines(base_lines, company)
        items = [
            {
                **base_line["record"],
                **amounts,
                "display_type": "product",
                "account_id": base_line["account_id"].id,
                "tax_ids": [Command.set(base_line["tax_ids"].ids)],
            }
            for base_line, amounts in tax_results["base_lines_to_update"]
        ]
        items += [{**tax_line, "display_type": "tax"} for tax_line in tax_results["tax_lines_to_add"]]
        balance = sum(item["balance"] for item in items)
        amount_currency = sum(item["amount_currency"] for item in items)
        receivable = fiscal_position.map_account(
            commercial.with_company(company).property_account_receivable_id
            or company.partner_id.with_company(company).property_account_receivable_id
        )
        term = partner.property_payment_term_id
        if term:
            tax_items = [item for item in items if item["display_type"] == "tax"]
            tax = sum(item["balance"] for item in tax_items)
            tax_currency = sum(item["amount_currency"] for item in tax_items)
            due = [
                (fields.Date.to_date(line["date"]), line["company_amount"], line["foreign_amount"])
                for line in term._compute_terms(
                    date_ref=vals["invoice_date"],
                    currency=currency,
                    company=company,
                    tax_amount=sign * tax,
                    tax_amount_currency=sign * tax_currency,
                    untaxed_amount=sign * (balance - tax),
                    untaxed_amount_currency=sign * (amount_currency - tax_currency),
                    sign=sign,
                )["line_ids"]
            ]
        else:
            due = [(vals["invoice_date_due"], -balance, -amount_currency)]
        items += [
            {
                "display_type": "payment_term",
                # Without a receivable property, Odoo's own fallback finds one.
                **({"account_id": receivable.id} if receivable else {}),
                "date_maturity": maturity,
                "balance": term_balance,
                "amount_currency": term_amount_currency,
            }
            for maturity, term_balance, term_amount_currency in due
        ]
        return [{**item, "partner_id": commercial.id} for item in items]

    @api.model
    def _isp_product_taxes_and_account(self, product, fiscal_position, journal):
        """A sold product's taxes and income account, as an invoice line finds them."""
        company = journal.company_id
        accounts = product.with_company(company).product_tmpl_id.get_product_accounts(
            fiscal_pos=fiscal_position
        )
        account = accounts["income"] or journal.default_account_id
        taxes = product.taxes_id.filtered_domain(self.env["account.tax"]._check_company_domain(company))
        taxes = taxes or account.tax_ids.filtered(lambda tax: tax.type_tax_use == "sale")
        if taxes:
            taxes = taxes._filter_taxes_by_company(company)
        if taxes and fiscal_position:
            taxes = fiscal_position.map_tax(taxes)
        return taxes, account

    @api.model
    def _isp_blocking_domain(self, partners):
        """Unpaid ISP invoices that keep a customer suspended: those the dunning suspended
        for, and (when the company says so) unpaid late fees."""
        blocking = [("isp_dunning_log_ids.action", "=", "suspend")]
        if self.env.company.isp_late_fee_blocks_reconnect:
            blocking = ["|", ("isp_late_fee_invoice", "=", True), *blocking]
        return [
            ("partner_id", "in", partners.ids),
            ("move_type", "=", "out_invoice"),
            ("isp_invoice", "=", True),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            *blocking,
        ]


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    isp_subscription_id = fields.Many2one(
        "isp.subscription", string="Subscription", readonly=True, index="btree_not_null"
    )
    isp_period_start = fields.Date(string="Service From", readonly=True)
    isp_period_end = fields.Date(string="Service To", readonly=True)
