# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import CANCELLED, DONE, FAILED, identity_exact

from ..lib import invoicing, proration, usage

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # customers per job
PREVIEW_LIMIT = 500  # customers a preview shows
CHECK_INTERVAL = 30  # seconds between two looks of a failed run's check at its other jobs
# A batch job in one of these states will not run again unless somebody requeues it.
ENDED = (DONE, FAILED, CANCELLED)
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

    A batch job that fails for good (or is cancelled) would keep that last job
    waiting for ever: queue_job then queues ``_check_batches``, which waits for
    the other jobs to end and ends the run *Failed*, its failed batches' customers
    listed as issues with the job's error. *Retry Failed Batches* requeues those
    jobs; once they are done the last job closes the run as usual.
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
        [("draft", "Draft"), ("running", "Running"), ("failed", "Failed"), ("done", "Done")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )
    batch_count = fields.Integer(string="Jobs", readonly=True, default=0)
    batch_done = fields.Integer(string="Jobs Done", compute="_compute_batch_done")
    failed_batch_count = fields.Integer(string="Failed Jobs", compute="_compute_failed_batches")
    failed_batches = fields.Text(
        compute="_compute_failed_batches",
        help="The run's jobs that failed for good or were cancelled: their customers and the error.",
    )
    check_message = fields.Text(
        string="Fast Path Check",
        compute="_compute_totals",
        help="Where the check of the fast invoice path found a difference with Odoo's own path.",
    )
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

    def _failed_jobs(self):
        """The run's batch jobs that failed for good or were cancelled (as superuser)."""
        uuids = [uuid for uuid in self.mapped("job_graph_uuid") if uuid]
        if not uuids:
            return self.env["queue.job"].sudo()
        return (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("graph_uuid", "in", uuids),
                    ("method_name", "=", "_invoice_batch"),
                    ("state", "in", (FAILED, CANCELLED)),
                ],
                order="id",
            )
        )

    def _compute_failed_batches(self):
        failed = self._failed_jobs().grouped("graph_uuid")
        for run in self:
            jobs = failed.get(run.job_graph_uuid, []) if run.job_graph_uuid else []
            run.failed_batch_count = len(jobs)
            run.failed_batches = "\n\n".join(run._describe_failed_job(job) for job in jobs) or False

    def _describe_failed_job(self, job):
        partners = self._job_partners(job)
        shown = 10
        names = ", ".join(partners[:shown].mapped("display_name"))
        if len(partners) > shown:
            names = self.env._("%(names)s and %(count)s more", names=names, count=len(partners) - shown)
        return self.env._(
            "%(job)s (%(count)s customers: %(names)s)\n%(error)s",
            job=job.name,
            count=len(partners),
            names=names,
            error=self._job_error(job),
        )

    def _job_partners(self, job):
        """The existing customers of a batch job (whatever its arguments hold)."""
        ids = job.args[0] if job.args and isinstance(job.args[0], list) else []
        return self.env["res.partner"].browse([i for i in ids if isinstance(i, int)]).exists()

    def _job_error(self, job):
        if job.state == CANCELLED:
            return self.env._("Cancelled.")
        return job.exc_message or job.exc_name or self.env._("Failed.")

    def _compute_totals(self):
        for run in self:
            run.invoice_count = len(run.invoice_ids)
            run.amount_total = sum(run.invoice_ids.mapped("amount_total_signed"))
            run.issue_count = len(run.issue_ids)
            checks = run.issue_ids.filtered(lambda issue: issue.kind == "check")
            run.check_message = (
                "\n\n".join(f"{issue.partner_id.display_name}: {issue.message}" for issue in checks) or False
            )

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
            check = True  # the fast path is checked once per batch: on the first that succeeds
            for draft in drafts:
                try:
                    with self.env.cr.savepoint():
                        run._make_invoices([draft], check=check)
                    check = False
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
        """One customer's draft: ``{"partner", "currency", "lines", "dates"}``, where ``lines``
        are :meth:`_prepare_invoice_line_values` results and ``dates`` the subscriptions'
        billed-until dates to write with the invoice."""
        run = self.with_context(lang=partner.lang or self.env.lang)
        currency = partner.property_product_pricelist.currency_id or self.company_id.currency_id
        dates = {
            subscription: {
                "billed_until": parts.billed_until,
                "usage_billed_until": parts.usage_billed_until,
            }
            for subscription, parts in due.items()
        }
        return {
            "partner": partner,
            "currency": currency,
            "lines": run._prepare_invoice_lines(partner, due, charges, volumes, currency),
            "dates": dates,
        }

    def _prepare_invoice_lines(self, partner, due, charges, volumes, currency):
        """The lines of one customer's invoice, in order: for each subscription its service
        days (each day at its plan, then the add-ons), then its usage beyond the plan; then
        the one-time charges. Amounts come from ``lib/`` (proration, usage); this only names
        them, in the customer's language (the environment's)."""
        lines = []
        for subscription, parts in due.items():
            lines += self._prepare_service_lines(subscription, parts, currency)
            lines += self._prepare_usage_lines(subscription, parts, volumes, currency)
        for charge in charges:
            lines.append(
                self._prepare_invoice_line_values(
                    charge.subscription_id,
                    charge.product_id,
                    charge.name,
                    charge.price_unit,
                    charge.quantity,
                    charge=charge,
                    currency=currency,
                )
            )
        return lines

    def _prepare_service_lines(self, subscription, parts, currency):
        """Lines for the service days of ``parts`` (an :class:`invoicing.Due`)."""
        env = self.env
        suspended = [] if self.company_id.isp_charge_while_suspended else subscription._suspended_ranges()
        lines = []
        for part in parts.parts:
            period_days = (part.period_end - part.period_start).days + 1
            for product, quantity, label, charge in subscription.with_env(env)._service_charges(
                part, suspended
            ):
                days = round(charge.quantity * period_days)
                name = env._(
                    "%(item)s, %(first)s to %(last)s",
                    item=label,
                    first=subscription._format_date(charge.date_from),
                    last=subscription._format_date(charge.date_to),
                )
                if days != period_days:
                    name += " " + env._("(%(days)s of %(period)s days)", days=days, period=period_days)
                lines.append(
                    self._prepare_invoice_line_values(
                        subscription,
                        product,
                        name,
                        charge.amount,
                        quantity,
                        first=charge.date_from,
                        last=charge.date_to,
                        currency=currency,
                    )
                )
        return lines

    def _prepare_usage_lines(self, subscription, parts, volumes, currency):
        """Lines for data beyond the cap and session time beyond the included hours of each
        usage period of ``parts``, rated at the plan of the period's last day."""
        env = self.env
        timeline = subscription._plan_timeline()
        rounding = subscription._rounding()
        lines = []
        for first, last in parts.usage_periods:
            plan = proration.plan_on(timeline, last)  # the cap of the period's last day
            volume, seconds = volumes.get((subscription.id, first), (0, 0))
            period = env._(
                "%(first)s to %(last)s",
                first=subscription._format_date(first),
                last=subscription._format_date(last),
            )
            overage = plan.overage_price_per_gb and usage.data_overage_charge(
                volume, plan.data_cap_gb, plan.overage_price_per_gb, first, last, rounding=rounding
            )
            if overage:
                lines.append(
                    self._prepare_invoice_line_values(
                        subscription,
                        plan,
                        env._(
                            "Data beyond the %(cap)s GB cap, %(period)s", cap=plan.data_cap_gb, period=period
                        ),
                        overage.unit_price,
                        overage.quantity,
                        first=first,
                        last=last,
                        currency=currency,
                    )
                )
            extra_time = plan.extra_hour_price and usage.time_overage_charge(
                seconds, plan.included_hours, plan.extra_hour_price, first, last, rounding=rounding
            )
            if extra_time:
                lines.append(
                    self._prepare_invoice_line_values(
                        subscription,
                        plan,
                        env._(
                            "Session time beyond %(hours)s included hours, %(period)s",
                            hours=plan.included_hours,
                            period=period,
                        ),
                        extra_time.unit_price,
                        extra_time.quantity,
                        first=first,
                        last=last,
                        currency=currency,
                    )
                )
        return lines

    def _prepare_invoice_line_values(
        self,
        subscription,
        product,
        name,
        amount,
        quantity=1.0,
        first=None,
        last=None,
        charge=None,
        currency=None,
    ):
        """One invoice line: ``{"values": <account.move.line values>, "charge": <the one-time
        charge it invoices, or None>}``. ``amount`` is the unit price in the company's
        currency, converted to ``currency`` (the customer's pricelist's) at the run's date.
        Override to add values to every line the run makes."""
        return {
            "values": {
                "product_id": product.id,
                "name": name,
                "quantity": float(quantity),
                "price_unit": self._invoice_price(amount, currency),
                "isp_subscription_id": subscription.id,
                "isp_period_start": first,
                "isp_period_end": last,
            },
            "charge": charge,
        }

    def _invoice_price(self, amount, currency=None):
        """A company-currency amount in ``currency``, at the run's date."""
        company = self.company_id
        if not currency or currency == company.currency_id:
            return float(amount)
        return company.currency_id._convert(float(amount), currency, company, self.date)

    def _make_invoices(self, drafts, check=True):
        """Create and post the drafts' invoices and move their subscriptions' dates.

        ``check``: make one of the invoices again through Odoo's own path and compare (see
        ``account.move._isp_create_invoices``); a difference is recorded on the run."""
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
        moves, difference = Move._isp_create_invoices([v for v in values if v], check=check)
        if difference:
            self._record_check_difference(difference)
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
        issues = self.issue_ids.filtered(lambda issue: issue.kind != "check" and issue.partner_id in done)
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
        issue = self.issue_ids.filtered(lambda i: i.partner_id == partner and i.kind != "check")
        if issue:
            issue.write({"kind": "invoice", "message": message})
        else:
            self.env["isp.invoice.run.issue"].create(
                {"run_id": self.id, "partner_id": partner.id, "message": message}
            )

    def _record_check_difference(self, difference):
        """Note on the run that the fast invoice path and Odoo's differed for a batch (whose
        invoices were then made through Odoo's path): a row of its own, so that the jobs
        still write no row in common."""
        partner = self.env["res.partner"].browse(difference["vals"]["partner_id"])
        self.env["isp.invoice.run.issue"].create(
            {
                "run_id": self.id,
                "partner_id": partner.id,
                "kind": "check",
                "message": self.env._(
                    "The fast invoice path differs from Odoo's for this customer's invoice: the "
                    "invoices of its batch were made through Odoo's own path. An Odoo update may "
                    "have changed a tax, account or payment term rule; report it to the ISP "
                    "addons' maintainers.\n%s",
                    difference["message"],
                ),
            }
        )

    def _finish(self):
        """The job that runs once every batch job of the run is done."""
        self.write({"state": "done", "finished_at": fields.Datetime.now()})

    # --- a run that cannot finish -----------------------------------------------------

    def _batch_ended_badly(self):
        """A batch job of these runs failed for good or was cancelled: queue a check
        (called from ``queue.job``; the check is a job of its own, so that a failure
        writes nothing but queue_job's rows)."""
        for run in self:
            run.with_delay(
                description=self.env._("%s: check the failed jobs", run.name),
                identity_key=identity_exact,
            )._check_batches()

    def _check_batches(self):
        """The job queued when a batch job failed for good: once the run's other batch jobs
        have ended, end the run *Failed*, its failed batches' customers as issues."""
        self.ensure_one()
        if self.state != "running":
            return self.env._("The run is %s: nothing to check.", self.state)
        jobs = (
            self.env["queue.job"]
            .sudo()
            .search([("graph_uuid", "=", self.job_graph_uuid), ("method_name", "=", "_invoice_batch")])
        )
        if any(job.state not in ENDED for job in jobs):
            # Not a retry for queue_job to count: look again later, for as long as it takes.
            raise RetryableJobError(
                "Waiting for the run's other jobs to end", seconds=CHECK_INTERVAL, ignore_retry=True
            )
        failed = jobs.filtered(lambda job: job.state in (FAILED, CANCELLED))
        if not failed:
            return self.env._("No failed job: the run finishes as usual.")
        self._fail(failed)
        return self.env._("Failed jobs: %s", len(failed))

    def _fail(self, failed_jobs):
        """End the run *Failed*: the customers of ``failed_jobs`` become issues."""
        issues = self.issue_ids.filtered(lambda issue: issue.kind != "check").grouped("partner_id")
        to_create = []
        customers = 0
        for job in failed_jobs:
            message = self.env._("Not invoiced: its job failed. %s", self._job_error(job))
            partners = self._job_partners(job)
            customers += len(partners)
            for partner in partners:
                if partner in issues:
                    issues[partner].write({"kind": "job", "message": message})
                else:
                    to_create.append(
                        {"run_id": self.id, "partner_id": partner.id, "kind": "job", "message": message}
                    )
        self.env["isp.invoice.run.issue"].create(to_create)
        self.write({"state": "failed", "finished_at": fields.Datetime.now()})
        _logger.warning(
            "%s failed: %s of its %s jobs failed for good, %s customers not invoiced",
            self.name,
            len(failed_jobs),
            self.batch_count,
            customers,
        )
        self.message_post(
            body=self.env._(
                "%(failed)s of %(count)s jobs failed: %(customers)s customers are not invoiced (see "
                "the Issues tab). Once the cause is fixed, Retry Failed Batches invoices them.",
                failed=len(failed_jobs),
                count=self.batch_count,
                customers=customers,
            )
        )

    def action_retry_failed_batches(self):
        """Requeue the failed jobs of a failed run (ISP Billing): the same customers are
        invoiced (what is due when the jobs run), then the run finishes as usual."""
        self.check_access("write")
        for run in self:
            if run.state != "failed":
                raise UserError(self.env._("The run %s has not failed: nothing to retry.", run.name))
            failed = run._failed_jobs()
            if not failed:
                raise UserError(
                    self.env._(
                        "The failed jobs of the run %s are no longer in the job queue: start a new "
                        "run to invoice its customers.",
                        run.name,
                    )
                )
            partners = self.env["res.partner"].union(*(run._job_partners(job) for job in failed))
            run.issue_ids.filtered_domain([("kind", "=", "job"), ("partner_id", "in", partners.ids)]).unlink()
            failed.requeue()
            # A cancelled batch cancelled the last job too: wait again for the batches.
            finish = (
                self.env["queue.job"]
                .sudo()
                .search(
                    [
                        ("graph_uuid", "=", run.job_graph_uuid),
                        ("method_name", "=", "_finish"),
                        ("state", "=", CANCELLED),
                    ]
                )
            )
            finish.requeue()
            run.write({"state": "running", "finished_at": False})
            run.message_post(
                body=self.env._(
                    "%(jobs)s failed jobs requeued (%(customers)s customers).",
                    jobs=len(failed),
                    customers=len(partners),
                )
            )
        return True

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


class QueueJob(models.Model):
    _inherit = "queue.job"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") in (FAILED, CANCELLED):
            # An invoicing run's batch that will not run again: its run must not wait for it.
            batches = self.filtered(
                lambda job: job.model_name == "isp.invoice.run" and job.method_name == "_invoice_batch"
            )
            if batches:
                self.env["isp.invoice.run"].union(*(job.records for job in batches))._batch_ended_badly()
        return result


class IspInvoiceRunIssue(models.Model):
    """A customer an invoicing run could not invoice, and why."""

    _name = "isp.invoice.run.issue"
    _description = "Invoicing Run Issue"
    _order = "id"

    run_id = fields.Many2one("isp.invoice.run", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    kind = fields.Selection(
        [
            ("invoice", "Not Invoiced"),
            ("job", "Job Failed"),
            ("check", "Fast Path Differs"),
        ],
        required=True,
        default="invoice",
        help="Not Invoiced: the customer's invoice could not be made. Job Failed: the job of the "
        "customer's batch failed for good, the customer is not invoiced yet (Retry Failed Batches). "
        "Fast Path Differs: the customer was invoiced, but the check of the fast invoice path "
        "found a difference with Odoo's own path, and its batch was invoiced through Odoo's path.",
    )
    message = fields.Text(string="Reason", required=True)
