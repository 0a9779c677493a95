import logging
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.queue_job.delay import group

from ..lib import invoicing, proration, usage

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # customers per job
PREVIEW_LIMIT = 500  # customers a preview shows
# What limits a run to part of the customers; fixed once the run has started.
SCOPE_FIELDS = ("site_ids", "plan_ids", "partner_ids")


class IspInvoiceRun(models.Model):
    """One invoicing run: every customer with something due on ``date`` gets one invoice.

    The run is split into jobs of ``BATCH_SIZE`` customers that any number of
    queue_job workers share. A job locks its customers' subscriptions, computes
    what is due *now*, and posts the invoices and moves the subscriptions'
    billed-until dates in one transaction: a job that dies leaves nothing
    behind, a job run twice (or a second run) finds nothing left to invoice.
    A customer whose invoice cannot be made is recorded as an issue with the
    reason and the others go on. The jobs write no row in common (a job that
    did would fail on the others' updates), so a last job, queued to run when
    all of them are done, closes the run.
    """

    _name = "isp.invoice.run"
    _description = "Invoicing Run"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    date = fields.Date(
        string="Invoice Date",
        required=True,
        default=fields.Date.context_today,
        help="Invoices are dated this day and cover what is due by then.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    batch_count = fields.Integer(string="Jobs", readonly=True, default=0)
    batch_done = fields.Integer(string="Jobs Done", compute="_compute_batch_done")
    job_graph_uuid = fields.Char(
        string="Job Group", readonly=True, copy=False, help="The run's jobs in queue_job."
    )
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)
    invoice_ids = fields.One2many("account.move", "isp_invoice_run_id", string="Invoices", readonly=True)
    invoice_count = fields.Integer(compute="_compute_totals")
    amount_total = fields.Monetary(compute="_compute_totals")
    issue_ids = fields.One2many("isp.invoice.run.issue", "run_id", string="Issues", readonly=True)
    issue_count = fields.Integer(compute="_compute_totals")
    site_ids = fields.Many2many(
        "isp.site",
        string="Sites",
        check_company=True,
        help="Only subscriptions served by these sites or by the sites below them. Empty: every site.",
    )
    plan_ids = fields.Many2many(
        "product.product",
        string="Plans",
        check_company=True,
        domain=[("is_isp_plan", "=", True)],
        help="Only subscriptions on these plans. Empty: every plan.",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        check_company=True,
        domain=[("is_isp_customer", "=", True)],
        help="Only these customers. Empty: every customer.",
    )

    @api.depends("date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Invoicing of %s", run.date) if run.date else "/"

    def _compute_batch_done(self):
        # Counted from the jobs: a counter on the run would be a row every job writes,
        # and concurrent jobs would fail on it.
        done = dict(
            self.env["queue.job"]
            .sudo()
            ._read_group(
                [
                    ("graph_uuid", "in", [uuid for uuid in self.mapped("job_graph_uuid") if uuid]),
                    ("method_name", "=", "_invoice_batch"),
                    ("state", "=", "done"),
                ],
                ["graph_uuid"],
                ["__count"],
            )
        )
        for run in self:
            run.batch_done = done.get(run.job_graph_uuid, 0)

    def _compute_totals(self):
        for run in self:
            run.invoice_count = len(run.invoice_ids)
            run.amount_total = sum(run.invoice_ids.mapped("amount_total_signed"))
            run.issue_count = len(run.issue_ids)

    # --- starting a run ---------------------------------------------------------

    @api.model
    def _cron_invoice(self):
        """Daily: one run per company, for what is due today."""
        for company in self.env["res.company"].search([("id", "in", self._companies_with_subscriptions())]):
            self.with_company(company).create({"company_id": company.id}).action_start()

    @api.model
    def _companies_with_subscriptions(self):
        return [company.id for (company,) in self.env["isp.subscription"]._read_group([], ["company_id"])]

    def write(self, vals):
        if {"date", "company_id", *SCOPE_FIELDS} & set(vals) and any(run.state != "draft" for run in self):
            raise UserError(
                self.env._(
                    "An invoicing run that has started keeps its date, company, sites, plans and customers."
                )
            )
        return super().write(vals)

    def action_start(self):
        for run in self:
            if run.state != "draft":
                raise UserError(self.env._("The run %s has already started.", run.name))
            batches = list(split_every(BATCH_SIZE, run._partners_due()))
            run.write(
                {
                    "state": "running" if batches else "done",
                    "batch_count": len(batches),
                    "started_at": fields.Datetime.now(),
                    "finished_at": False if batches else fields.Datetime.now(),
                }
            )
            if not batches:
                continue
            jobs = [
                run.delayable(
                    description=self.env._(
                        "%(run)s: customers %(number)s/%(count)s",
                        run=run.name,
                        number=number,
                        count=len(batches),
                    )
                )._invoice_batch(list(partner_ids))
                for number, partner_ids in enumerate(batches, 1)
            ]
            finish = run.delayable(description=self.env._("%s: finish", run.name))._finish()
            group(*jobs).on_done(finish).delay()
            run.job_graph_uuid = finish._generated_job.graph_uuid
        return True

    def _scope_domain(self):
        """The subscriptions this run may invoice, as a domain (empty: all of them).

        A run limited to sites, plans or customers invoices only their subscriptions and
        the one-time charges of those; the others stay due for a later run."""
        self.ensure_one()
        domain = []
        if self.site_ids:
            domain.append(("site_id", "child_of", self.site_ids.ids))
        if self.plan_ids:
            domain.append(("product_id", "in", self.plan_ids.ids))
        if self.partner_ids:
            domain.append(("partner_id", "in", self.partner_ids.ids))
        return domain

    def _partners_due(self):
        """Ids of the customers with a service period, usage or a one-time charge due."""
        self.ensure_one()
        company = [("company_id", "=", self.company_id.id)]
        scope = self._scope_domain()
        subscriptions = self.env["isp.subscription"]._read_group(
            [("next_invoice_date", "<=", self.date), *company, *scope], ["partner_id"]
        )
        charges = self.env["isp.subscription.charge"]._read_group(
            [
                ("invoiced", "=", False),
                ("date", "<=", self.date),
                *company,
                *([("subscription_id", "any", scope)] if scope else []),
            ],
            ["partner_id"],
        )
        return sorted({partner.id for (partner,) in subscriptions + charges})

    # --- a job: one batch of customers -------------------------------------------

    def _invoice_batch(self, partner_ids):
        """The job: invoice these customers (what is still due when the job runs)."""
        self.ensure_one()
        run = self.with_company(self.company_id)
        partners = run.env["res.partner"].browse(partner_ids)
        subscriptions, charges = run._lock_due(partners)
        drafts = run._prepare_invoices(partners, subscriptions, charges)
        try:
            with self.env.cr.savepoint():
                run._make_invoices(drafts)
        except Exception as error:  # one bad customer: make the others one by one
            _logger.warning(
                "%s: a batch failed (%s), invoicing its %s customers one by one", run.name, error, len(drafts)
            )
            for draft in drafts:
                try:
                    with self.env.cr.savepoint():
                        run._make_invoices([draft])
                except Exception as error:  # reported on the run, the others go on
                    run._record_issue(draft["partner"], error)

    def _lock_due(self, partners):
        """Lock the customers' subscriptions and open charges, then read them afresh."""
        return self._due_records(partners, lock=True)

    def _due_records(self, partners, lock=False):
        """The customers' subscriptions within the run's scope and their open charges;
        locked (and read afresh) for a job, read as they are for a preview."""
        scope = self._scope_domain()
        where = SQL("partner_id = ANY(%s) AND company_id = %s", partners.ids, self.company_id.id)
        if scope:
            query = self.env["isp.subscription"]._search(
                [("partner_id", "in", partners.ids), ("company_id", "=", self.company_id.id), *scope]
            )
            where = SQL("id IN %s", query.subselect())
        locking = SQL(" FOR UPDATE") if lock else SQL()
        self.env["isp.subscription"].flush_model()
        self.env["isp.subscription.charge"].flush_model()
        self.env.cr.execute(SQL("SELECT id FROM isp_subscription WHERE %s ORDER BY id%s", where, locking))
        subscription_ids = [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            SQL(
                "SELECT id FROM isp_subscription_charge WHERE subscription_id = ANY(%s) AND NOT invoiced "
                "AND date <= %s ORDER BY id%s",
                subscription_ids,
                self.date,
                locking,
            )
        )
        charge_ids = [row[0] for row in self.env.cr.fetchall()]
        if lock:
            self.env.invalidate_all()
        return (
            self.env["isp.subscription"].browse(subscription_ids),
            self.env["isp.subscription.charge"].browse(charge_ids),
        )

    def _prepare_invoices(self, partners, subscriptions, charges):
        """One draft per customer with something due: its lines and the dates to move."""
        due = {}
        for subscription in subscriptions:
            terms = subscription._billing_terms()
            if terms and subscription.next_invoice_date and subscription.next_invoice_date <= self.date:
                parts = invoicing.due_parts(terms, self.date)
                if parts:
                    due[subscription] = parts
        volumes = self._usage_volumes(due)
        due_by_partner = defaultdict(dict)
        for subscription, parts in due.items():
            due_by_partner[subscription.partner_id][subscription] = parts
        charges_by_partner = charges.grouped("partner_id")
        no_charges = self.env["isp.subscription.charge"]
        return [
            self._prepare_invoice(
                partner, due_by_partner[partner], charges_by_partner.get(partner, no_charges), volumes
            )
            for partner in partners
            if partner in due_by_partner or partner in charges_by_partner
        ]

    def _usage_volumes(self, due):
        """{(subscription id, first day): (bytes, seconds)} for every usage period due."""
        keys = [(s.id, first, last) for s, d in due.items() for first, last in d.usage_periods]
        if not keys:
            return {}
        self.env["isp.usage.daily"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT v.sid, v.first, sum(u.bytes_down + u.bytes_up), sum(u.session_seconds)
                  FROM (VALUES %s) AS v(sid, first, last)
                  JOIN isp_usage_daily u ON u.subscription_id = v.sid AND u.day BETWEEN v.first AND v.last
                 GROUP BY v.sid, v.first
                """,
                SQL(", ").join(
                    SQL("(%s, %s::date, %s::date)", sid, first, last) for sid, first, last in keys
                ),
            )
        )
        return {
            (sid, first): (volume or 0, seconds or 0)
            for sid, first, volume, seconds in self.env.cr.fetchall()
        }

    def _prepare_invoice(self, partner, due, charges, volumes):
        run = self.with_context(lang=partner.lang or self.env.lang)
        env = run.env
        company = self.company_id
        pricelist = partner.property_product_pricelist
        currency = pricelist.currency_id or company.currency_id
        lines = []

        def price(amount):
            if currency == company.currency_id:
                return float(amount)
            return company.currency_id._convert(float(amount), currency, company, self.date)

        def line(subscription, product, name, amount, quantity=1.0, first=None, last=None, charge=None):
            lines.append(
                {
                    "values": {
                        "product_id": product.id,
                        "name": name,
                        "quantity": quantity,
                        "price_unit": price(amount),
                        "isp_subscription_id": subscription.id,
                        "isp_period_start": first,
                        "isp_period_end": last,
                    },
                    "charge": charge,
                }
            )

        dates = {}
        for subscription, parts in due.items():
            timeline = subscription._plan_timeline()
            suspended = [] if self.company_id.isp_charge_while_suspended else subscription._suspended_ranges()
            for part in parts.parts:
                for product, quantity, label, charge in subscription.with_env(env)._service_charges(
                    part, suspended
                ):
                    period_days = (part.period_end - part.period_start).days + 1
                    days = round(charge.quantity * period_days)
                    name = env._(
                        "%(item)s, %(first)s to %(last)s",
                        item=label,
                        first=subscription._format_date(charge.date_from),
                        last=subscription._format_date(charge.date_to),
                    )
                    if days != period_days:
                        name += " " + env._("(%(days)s of %(period)s days)", days=days, period=period_days)
                    line(
                        subscription,
                        product,
                        name,
                        charge.amount,
                        quantity=quantity,
                        first=charge.date_from,
                        last=charge.date_to,
                    )
            for first, last in parts.usage_periods:
                plan = proration.plan_on(timeline, last)  # the cap of the period's last day
                volume, seconds = volumes.get((subscription.id, first), (0, 0))
                period = env._(
                    "%(first)s to %(last)s",
                    first=subscription._format_date(first),
                    last=subscription._format_date(last),
                )
                gigabytes = usage.overage_gb(volume, plan.data_cap_gb)
                if gigabytes and plan.overage_price_per_gb:
                    line(
                        subscription,
                        plan,
                        env._(
                            "Data beyond the %(cap)s GB cap, %(period)s", cap=plan.data_cap_gb, period=period
                        ),
                        plan.overage_price_per_gb,
                        quantity=float(gigabytes),
                        first=first,
                        last=last,
                    )
                hours = usage.extra_hours(seconds, plan.included_hours)
                if hours and plan.extra_hour_price:
                    line(
                        subscription,
                        plan,
                        env._(
                            "Session time beyond %(hours)s included hours, %(period)s",
                            hours=plan.included_hours,
                            period=period,
                        ),
                        plan.extra_hour_price,
                        quantity=float(hours),
                        first=first,
                        last=last,
                    )
            dates[subscription] = {
                "billed_until": parts.billed_until,
                "usage_billed_until": parts.usage_billed_until,
            }
        for charge in charges:
            line(
                charge.subscription_id,
                charge.product_id,
                charge.name,
                charge.price_unit,
                charge.quantity,
                charge=charge,
            )
        return {"partner": partner, "currency": currency, "lines": lines, "dates": dates}

    def _make_invoices(self, drafts):
        """Create and post the drafts' invoices and move their subscriptions' dates."""
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), *self.env["account.journal"]._check_company_domain(self.company_id)],
            limit=1,
        )
        if not journal:
            raise UserError(self.env._("The company %s has no sales journal.", self.company_id.name))
        values, charge_lines = [], []
        uninvoiced_charges = self.env["isp.subscription.charge"]
        for draft in drafts:
            if not self._needs_invoice(draft):
                # Nothing to pay: no invoice, but its charges and dates are done with.
                uninvoiced_charges |= self._draft_charges(draft)
                values.append(None)
                continue
            untaxed = self._draft_untaxed(draft)
            sign = -1 if untaxed < 0 else 1
            invoice_lines = []
            for sequence, line in enumerate(draft["lines"], 1):
                invoice_lines.append(
                    Command.create(
                        {
                            **line["values"],
                            "price_unit": sign * line["values"]["price_unit"],
                            "sequence": sequence,
                        }
                    )
                )
            values.append(
                {
                    "move_type": "out_refund" if sign < 0 else "out_invoice",
                    "partner_id": draft["partner"].id,
                    "invoice_date": self.date,
                    # Without payment terms an invoice is due on its date, not on the day it is made.
                    **({} if draft["partner"].property_payment_term_id else {"invoice_date_due": self.date}),
                    "journal_id": journal.id,
                    "company_id": self.company_id.id,
                    "currency_id": draft["currency"].id,
                    "isp_invoice": True,
                    "isp_invoice_run_id": self.id,
                    "invoice_line_ids": invoice_lines,
                }
            )
        # No "created" note and no follower per invoice: at 50,000 invoices that is most of the work.
        quiet = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}
        Move = self.env["account.move"].with_context(**quiet)
        to_create = [v for v in values if v]
        completed = Move._isp_with_journal_items(to_create)
        # Invoices whose journal items are all computed skip Odoo's line synchronisation.
        fast = Move.with_context(skip_invoice_sync=True, skip_invoice_line_sync=True).create(
            [c for c in completed if c]
        )
        slow = Move.create([v for v, c in zip(to_create, completed, strict=True) if not c])
        fast_ids, slow_ids = iter(fast.ids), iter(slow.ids)
        moves = Move.browse([next(fast_ids) if c else next(slow_ids) for c in completed])
        move_iter = iter(moves)
        for draft, vals in zip(drafts, values, strict=True):
            if not vals:
                continue
            move = next(move_iter)
            by_sequence = {line.sequence: line for line in move.invoice_line_ids}
            for sequence, line in enumerate(draft["lines"], 1):
                if line["charge"]:
                    charge_lines.append((line["charge"], by_sequence[sequence]))
        for charge, move_line in charge_lines:
            charge.move_line_id = move_line
        if uninvoiced_charges:
            uninvoiced_charges.sudo().write({"invoiced": True})
        by_dates = defaultdict(lambda: self.env["isp.subscription"])
        for draft in drafts:
            for subscription, dates in draft["dates"].items():
                by_dates[(dates["billed_until"], dates["usage_billed_until"])] |= subscription
        for (billed_until, usage_billed_until), subscriptions in by_dates.items():
            subscriptions.sudo().write(
                {"billed_until": billed_until, "usage_billed_until": usage_billed_until}
            )
        done = self.env["res.partner"].union(*(draft["partner"] for draft in drafts))
        issues = self.issue_ids.filtered(lambda issue: issue.partner_id in done)
        issues.unlink()
        # Posting numbers the invoices, and a number keeps other jobs of the same journal
        # waiting until this one commits: number last, so that the jobs wait the least.
        self.env.flush_all()
        moves.with_context(skip_invoice_sync=True).action_post()
        self.env.flush_all()
        return moves

    def _draft_untaxed(self, draft):
        """A draft's untaxed total, in the draft's currency."""
        return sum(line["values"]["quantity"] * line["values"]["price_unit"] for line in draft["lines"])

    def _needs_invoice(self, draft):
        """Whether a draft becomes an invoice: it has a line, and unless the company invoices
        zero amounts, a line with an amount (a zero-price plan alone makes no invoice)."""
        if not draft["lines"]:
            return False
        if self.company_id.isp_invoice_zero_amounts:
            return True
        currency = draft["currency"]
        return any(
            not currency.is_zero(line["values"]["quantity"] * line["values"]["price_unit"])
            for line in draft["lines"]
        )

    def _draft_charges(self, draft):
        return self.env["isp.subscription.charge"].union(
            *(line["charge"] for line in draft["lines"] if line["charge"])
        )

    def _record_issue(self, partner, error):
        message = error.args[0] if isinstance(error, UserError) and error.args else repr(error)
        _logger.warning("%s: %s not invoiced: %s", self.name, partner.display_name, message)
        issue = self.issue_ids.filtered(lambda i: i.partner_id == partner)
        if issue:
            issue.message = message
        else:
            self.env["isp.invoice.run.issue"].create(
                {"run_id": self.id, "partner_id": partner.id, "message": message}
            )

    def _finish(self):
        """The job that runs once every batch job of the run is done."""
        self.write({"state": "done", "finished_at": fields.Datetime.now()})

    # --- buttons ----------------------------------------------------------------

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_out_invoice_type")
        # The customer invoices' list shows its Customer and Invoice Date columns for
        # this default move type only.
        action.update(
            {
                "domain": [("isp_invoice_run_id", "=", self.id)],
                "context": {"default_move_type": "out_invoice", "create": False},
            }
        )
        return action

    def action_preview(self):
        """What this draft run would invoice now, without creating anything (ISP Billing)."""
        self.ensure_one()
        self.check_access("write")
        if self.state != "draft":
            raise UserError(
                self.env._("The run %s has already started: open its invoices instead.", self.name)
            )
        preview = self.env["isp.invoice.run.preview"]._make(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview of %s", self.name),
            "res_model": "isp.invoice.run.preview",
            "res_id": preview.id,
            "view_mode": "form",
            "target": "new",
        }

    def _preview_drafts(self, limit=PREVIEW_LIMIT):
        """``(drafts, without_invoice, due)``: the drafts the run's jobs would invoice now for
        the first ``limit`` customers due (the same code as the jobs, without locking), how
        many of those customers would get no invoice (nothing to pay), and how many customers
        are due in all."""
        self.ensure_one()
        run = self.with_company(self.company_id)
        partner_ids = run._partners_due()
        drafts, without_invoice = [], 0
        for batch in split_every(BATCH_SIZE, partner_ids[:limit]):
            partners = run.env["res.partner"].browse(batch)
            subscriptions, charges = run._due_records(partners)
            for draft in run._prepare_invoices(partners, subscriptions, charges):
                if run._needs_invoice(draft):
                    drafts.append(draft)
                else:
                    without_invoice += 1
        return drafts, without_invoice, len(partner_ids)


class IspInvoiceRunIssue(models.Model):
    """A customer an invoicing run could not invoice, and why."""

    _name = "isp.invoice.run.issue"
    _description = "Invoicing Run Issue"
    _order = "id"

    run_id = fields.Many2one("isp.invoice.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    message = fields.Text(string="Reason", required=True)
