from odoo import Command, api, fields, models


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
