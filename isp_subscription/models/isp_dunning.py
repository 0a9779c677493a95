# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from collections import defaultdict
from decimal import Decimal

import psycopg2

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, formatLang, split_every

from ..lib import dunning, late_fee

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200  # invoices per job
ACTION_SELECTION = [
    ("reminder_email", "Reminder Email"),
    ("sms", "SMS"),
    ("late_fee", "Late Fee"),
    ("suspend", "Suspend"),
    ("terminate", "Terminate"),
]
LOG_STATES = [("done", "Done"), ("skipped", "Nothing Sent"), ("failed", "Failed")]
NOTE_LENGTH = 500  # characters of an error kept on a failed step


class IspDunningStep(models.Model):
    """One step of a company's dunning policy: an action some days after the due date."""

    _name = "isp.dunning.step"
    _description = "Dunning Step"
    _order = "days_after_due, id"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    days_after_due = fields.Integer(string="Days After Due Date", required=True)
    action = fields.Selection(ACTION_SELECTION, required=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "account.move")],
        default=lambda self: self.env.ref("isp_subscription.mail_template_dunning_reminder", False),
    )
    sms_text = fields.Text(
        string="Text Message",
        translate=True,
        help="Sent as SMS. Placeholders: {customer}, {invoice}, {amount}, {due_date}.",
    )
    channel = fields.Selection([("sms", "SMS"), ("whatsapp", "WhatsApp")], default="sms")

    def action_open_late_fees(self):
        """The Dunning Policy's *Late Fees* button: the current company's late fees (managers)."""
        if not self.env.su and not self.env.user.has_group("isp_base.group_isp_manager"):
            raise AccessError(self.env._("Only ISP managers may set late fees."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Late Fees"),
            "res_model": "res.company",
            "res_id": self.env.company.id,
            "view_mode": "form",
            "views": [[self.env.ref("isp_subscription.res_company_view_form_isp_late_fees").id, "form"]],
            "target": "new",
        }

    @api.constrains("days_after_due", "action", "company_id")
    def _check_policy(self):
        for company in self.company_id:
            steps = self.search([("company_id", "=", company.id)])
            try:
                dunning.validate_policy([dunning.Step(s.days_after_due, s.action) for s in steps])
            except ValueError as error:
                raise ValidationError(
                    self.env._(
                        "The dunning policy of %(company)s is not valid: %(error)s",
                        company=company.name,
                        error=error,
                    )
                ) from error


class IspDunningLog(models.Model):
    """A dunning step carried out for an invoice. Done steps (and those with nothing to
    send) are never done again; failed ones are tried again by the next run."""

    _name = "isp.dunning.log"
    _description = "Dunning Log"
    _order = "date desc, id desc"

    move_id = fields.Many2one("account.move", string="Invoice", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="move_id.partner_id", store=True, string="Customer")
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True, string="Company")
    state = fields.Selection(
        LOG_STATES,
        string="Status",
        default="done",
        required=True,
        index=True,
        help="Nothing Sent: the customer has no email address or mobile number (the note says which); "
        "the step is not tried again. Failed: the step could not be carried out (the note says why); "
        "the next run tries it again.",
    )
    step_id = fields.Many2one("isp.dunning.step", ondelete="set null")
    days_after_due = fields.Integer(required=True)
    action = fields.Selection(ACTION_SELECTION, required=True)
    date = fields.Date(required=True)
    note = fields.Char()

    def action_run_dunning_now(self):
        """The Dunning Log's *Run Dunning Now* button: today's preview, then the run."""
        return self.env["isp.dunning.run.wizard"]._action_open()


class IspDunning(models.AbstractModel):
    """The dunning run: applies each company's steps to its overdue ISP invoices.

    Each job locks its invoices (``FOR UPDATE``) and re-reads their payment
    state before acting, and records every step by writing the invoice row.
    A payment reconciled at the same time writes the same row, so the two
    never pass each other: either the payment comes first and the invoice is
    seen paid (nothing happens), or the suspension comes first and the
    payment's transaction (retried after a serialization failure if needed)
    sees the suspension and reconnects.

    Each step runs in a savepoint: a step that fails for one invoice is logged
    as failed (and tried again by the next run), the rest of the batch goes on.
    """

    _name = "isp.dunning"
    _description = "Dunning Run"

    @api.model
    def _cron_run(self):
        for (company,) in self.env["isp.dunning.step"]._read_group([], ["company_id"]):
            self.with_company(company).run()

    @api.model
    def run(self, today=None):
        """Enqueue the jobs that apply the current company's dunning policy as of ``today``.

        API: callable by ISP billing staff and managers. ``today`` is a date or a
        ``"YYYY-MM-DD"`` string (today when not given), never in the future.
        Returns the number of jobs enqueued.
        """
        self._check_billing()
        today = self._parse_date(today)
        steps = self._policy()
        if not steps:
            return 0
        moves = self._overdue_moves(steps, today)
        batches = list(split_every(BATCH_SIZE, moves.ids))
        for move_ids in batches:
            self.with_delay(description=self.env._("Dunning of %s invoices", len(move_ids)))._run_batch(
                list(move_ids), today
            )
        return len(batches)

    def _check_billing(self):
        if not self.env.su and not self.env.user.has_group("isp_base.group_isp_billing"):
            raise AccessError(self.env._("Only ISP billing staff and managers may run the dunning."))

    def _parse_date(self, today):
        """``today`` as a date: a date, a ``YYYY-MM-DD`` string or nothing (today)."""
        now = fields.Date.context_today(self)
        if not today:
            return now
        try:
            day = fields.Date.to_date(today)
        except (TypeError, ValueError) as error:
            raise UserError(
                self.env._("%s is not a date: give the day as YYYY-MM-DD, e.g. 2026-11-30.", today)
            ) from error
        if day > now:
            raise UserError(
                self.env._(
                    "The dunning cannot run for a day in the future (%(day)s, today is %(today)s).",
                    day=day,
                    today=now,
                )
            )
        return day

    def _policy(self):
        return self.env["isp.dunning.step"].search([("company_id", "=", self.env.company.id)])

    def _overdue_moves(self, steps, today):
        """The current company's unpaid ISP invoices overdue for the policy's first step."""
        first_day = min(steps.mapped("days_after_due"))
        return self.env["account.move"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("isp_invoice", "=", True),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<=", fields.Date.subtract(today, days=first_day)),
            ],
            order="id",
        )

    @api.model
    def _steps_due(self, move, policy, today):
        """The policy's steps due today for ``move`` (failed steps count as not done)."""
        paid = move.payment_state not in ("not_paid", "partial") or move.state != "posted"
        done = [
            dunning.Step(log.days_after_due, log.action)
            for log in move.isp_dunning_log_ids
            if log.state != "failed"
        ]
        return dunning.steps_due(policy, move.invoice_date_due, today, done=done, paid=paid)

    @api.model
    def _run_batch(self, move_ids, today):
        """The job: apply the due steps to these invoices, unless they have been paid.

        The steps are the company's policy carried out by the system (only billing staff may
        start a run): they run as superuser, still in the name of the user who started the run
        (``env.uid``: author of the notes, creator of the records), so that a clerk without an
        email address of their own, whom Odoo would not let post a note, can run it too."""
        self.env.cr.execute(
            SQL("SELECT id FROM account_move WHERE id = ANY(%s) ORDER BY id FOR UPDATE", move_ids)
        )
        self.env.invalidate_all()
        self.sudo()._apply_steps(move_ids, fields.Date.to_date(today))

    def _apply_steps(self, move_ids, today):
        steps = self._policy()
        by_key = {(s.days_after_due, s.action): s for s in steps}
        policy = [dunning.Step(*key) for key in by_key]
        moves = self.env["account.move"].browse(move_ids)
        due_by_move = [(move, self._steps_due(move, policy, today)) for move in moves]
        # The batch's reminder emails go out together (one rendering, one create), and its
        # suspensions are made together (one write, one batch of notes, one provisioning
        # request); the other steps run invoice by invoice.
        batched = {"reminder_email": self._do_reminder_emails, "suspend": self._do_suspends}
        grouped = defaultdict(list)
        for move, due in due_by_move:
            for step in due:
                if step.action in batched:
                    grouped[by_key[(step.days_after_due, step.action)]].append(move.id)
        results = {}
        for record, ids in grouped.items():
            for move_id, result in batched[record.action](record, moves.browse(ids)).items():
                results[(move_id, record.id)] = result
        logs = []
        for move, due in due_by_move:
            for step in due:
                record = by_key[(step.days_after_due, step.action)]
                state, note = results.get((move.id, record.id)) or self._do_step(record, move)
                logs.append(
                    {
                        "move_id": move.id,
                        "step_id": record.id,
                        "days_after_due": step.days_after_due,
                        "action": step.action,
                        "date": today,
                        "state": state,
                        "note": note,
                    }
                )
        dunned = [move.id for move, due in due_by_move if due]
        if dunned:
            # The invoices' rows are written (see above) with the date alone: account.move's
            # write, with its checks and recomputations, has nothing to do for this marker.
            self.env.cr.execute(
                SQL(
                    "UPDATE account_move SET isp_dunning_date = %s, write_uid = %s, write_date = %s"
                    " WHERE id = ANY(%s)",
                    today,
                    self.env.uid,
                    fields.Datetime.now(),
                    dunned,
                )
            )
            moves.browse(dunned).invalidate_recordset(["isp_dunning_date", "write_uid", "write_date"])
        self.env["isp.dunning.log"].create(logs)

    def _do_step(self, step, move):
        """Carry out one step in a savepoint: ``(state, note)``, the step's failure included."""
        try:
            with self.env.cr.savepoint():
                result = getattr(self, f"_do_{step.action}")(step, move)
        except psycopg2.OperationalError:
            raise  # a lock or serialization conflict: the job is retried as a whole
        except Exception as error:  # any other failure is this customer's alone
            _logger.warning(
                "Dunning step %s (day %s) failed for invoice %s: %s",
                step.action,
                step.days_after_due,
                move.id,
                error,
            )
            message = error.args[0] if isinstance(error, UserError) and error.args else str(error)
            return "failed", (message or type(error).__name__)[:NOTE_LENGTH]
        return result if isinstance(result, tuple) else ("done", result)

    def _subscriptions(self, move):
        return move.invoice_line_ids.isp_subscription_id

    def _do_reminder_email(self, step, move):
        partner = move.partner_id
        if not partner.email_normalized:
            partner.message_post(
                body=self.env._(
                    "No payment reminder emailed for %(invoice)s: %(reason)s",
                    invoice=move.name,
                    reason=self._no_email_reason(partner),
                )
            )
            return "skipped", self._no_email_reason(partner)
        template = step.mail_template_id or self.env.ref("isp_subscription.mail_template_dunning_reminder")
        move.with_context(lang=partner.lang).message_post_with_source(
            template,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            **self._reminder_sender(template, move),
        )
        partner.message_post(body=self.env._("Payment reminder emailed for %s.", move.name))
        return template.name

    def _no_email_reason(self, partner):
        if partner.email:
            return self.env._("invalid email address %s, nothing sent", partner.email)
        return self.env._("no email address, nothing sent")

    def _reminder_sender(self, template, move):
        """The template's sender, or else the company's address (or catchall), or else the
        address of the user running the dunning (never the scheduled action's OdooBot):
        ``{}`` to keep the template's, or the ``author_id`` and ``email_from`` to send with."""
        if template.email_from and template._render_field("email_from", move.ids)[move.id]:
            return {}
        return self._default_reminder_sender(move)

    def _default_reminder_sender(self, move):
        """The company's address, else the running user's (not OdooBot's); raises without one."""
        company = move.company_id
        if company.email_formatted:
            return {"author_id": company.partner_id.id, "email_from": company.email_formatted}
        if self.env.user.email and self.env.uid != SUPERUSER_ID:  # OdooBot's address is no sender
            return {"author_id": self.env.user.partner_id.id, "email_from": self.env.user.email_formatted}
        raise UserError(
            self.env._(
                "No sender address for the payment reminder: set an email address on the company %s.",
                company.name,
            )
        )

    # The batch's reminders at once

    def _do_reminder_emails(self, step, moves):
        """Email the reminders of ``moves`` together: ``{move id: (state, note)}``.

        The template is rendered for all of them at once (per language), the emails and
        their chatter messages on the invoices are created in one go, and so are the notes
        on the customers. Should that fail, each invoice goes through ``_do_step`` alone, so
        that one customer's failure still never stops the others."""
        template = step.mail_template_id or self.env.ref("isp_subscription.mail_template_dunning_reminder")
        if template.report_template_ids or template.attachment_ids or template.email_layout_xmlid:
            # Attachments and layouts are rendered per message by Odoo's own path.
            return {move.id: self._do_step(step, move) for move in moves}
        try:
            with self.env.cr.savepoint():
                return self._send_reminders(template, moves)
        except psycopg2.OperationalError:
            raise  # a lock or serialization conflict: the job is retried as a whole
        except Exception as error:  # then one by one, each in its savepoint
            _logger.warning(
                "Payment reminders for %s invoices could not be sent together (%s): sending them one by one",
                len(moves),
                error,
            )
            return {move.id: self._do_step(step, move) for move in moves}

    def _send_reminders(self, template, moves):
        results, notes, send_ids = {}, [], []
        for move in moves:
            partner = move.partner_id
            if partner.email_normalized:
                send_ids.append(move.id)
                continue
            reason = self._no_email_reason(partner)
            notes.append(
                (
                    partner,
                    self.env._(
                        "No payment reminder emailed for %(invoice)s: %(reason)s",
                        invoice=move.name,
                        reason=reason,
                    ),
                )
            )
            results[move.id] = ("skipped", reason)
        to_send = moves.browse(send_ids)
        if to_send:
            rendered = template._generate_template(
                to_send.ids,
                ["subject", "body_html", "email_from", "reply_to", "partner_to", "email_to", "email_cc"],
                find_or_create_partners=True,
            )
            senders, reply_to = self._reminder_senders(template, to_send, rendered, results)
            mails, sent = [], []
            for move in to_send:
                if move.id in results:  # no sender address
                    continue
                values = rendered[move.id]
                author_id, email_from = senders[move.id]
                partner_ids = values.get("partner_ids") or move.partner_id.ids
                mails.append(
                    {
                        "model": move._name,
                        "res_id": move.id,
                        "record_name": move.display_name,
                        "subject": values.get("subject"),
                        "body": values.get("body_html"),
                        "body_html": values.get("body_html"),
                        "author_id": author_id,
                        "email_from": email_from,
                        "reply_to": values.get("reply_to") or reply_to[move.id],
                        "partner_ids": [Command.set(partner_ids)],
                        "recipient_ids": [Command.set(partner_ids)],
                        "auto_delete": template.auto_delete,
                        "mail_server_id": template.mail_server_id.id,
                    }
                )
                sent.append(move)
            self.env["isp.notification"]._create_mails(mails)
            for move in sent:
                notes.append((move.partner_id, self.env._("Payment reminder emailed for %s.", move.name)))
                results[move.id] = ("done", template.name)
        self._log_notes(notes)
        return results

    def _reminder_senders(self, template, moves, rendered, results):
        """``({move id: (author id, email from)}, {move id: reply-to})``.

        A move without any sender address gets its failure in ``results``."""
        senders = {}
        for move in moves:
            email_from = template.email_from and rendered[move.id].get("email_from")
            if email_from:
                senders[move.id] = (None, email_from)
                continue
            try:
                sender = self._default_reminder_sender(move)
            except UserError as error:
                results[move.id] = ("failed", error.args[0][:NOTE_LENGTH])
                continue
            senders[move.id] = (sender["author_id"], sender["email_from"])
        # Authors of the template's addresses found once per address, as message_post does.
        emails = list({email_from for author, email_from in senders.values() if author is None})
        authors = dict(
            zip(emails, self.env["mail.thread"]._mail_find_partner_from_emails(emails), strict=True)
        )
        reply_to = {}
        by_sender = defaultdict(list)
        for move_id, (author, email_from) in senders.items():
            if author is None:
                author = authors[email_from].id or self.env.user.partner_id.id
                senders[move_id] = (author, email_from)
            by_sender[email_from].append(move_id)
        for email_from, ids in by_sender.items():
            reply_to.update(moves.browse(ids).sudo()._notify_get_reply_to(default=email_from))
        return senders, reply_to

    def _log_notes(self, notes):
        """Log ``[(record, text)]`` as notes, in one create (the notification service's)."""
        self.env["isp.notification"]._log_notes(notes)

    def _sms_body(self, step, move):
        partner = move.partner_id
        text = step.with_context(lang=partner.lang).sms_text or self.with_context(lang=partner.lang).env._(
            "{customer}, your invoice {invoice} of {amount} was due on {due_date}. Please pay to keep your "
            "internet service."
        )
        return text.format_map(
            {
                "customer": partner.name,
                "invoice": move.name,
                "amount": f"{move.amount_residual:,.{move.currency_id.decimal_places}f} {move.currency_id.name}",
                "due_date": move.invoice_date_due,
            }
        )

    def _do_sms(self, step, move):
        message = self.env["isp.sms.message"]._queue(
            move.partner_id, self._sms_body(step, move), channel=step.channel or "sms", move=move
        )
        if not message:
            return "skipped", self.env._("no mobile number, nothing sent")
        return message.number

    def _late_fee_amount(self, move):
        company = move.company_id
        policy = late_fee.LateFeePolicy(
            fixed=Decimal(str(company.isp_late_fee_fixed)),
            percent=Decimal(str(company.isp_late_fee_percent)),
            minimum=Decimal(str(company.isp_late_fee_min)) if company.isp_late_fee_min else None,
            maximum=Decimal(str(company.isp_late_fee_max)) if company.isp_late_fee_max else None,
        )
        return late_fee.late_fee(policy, move.amount_residual, Decimal(str(company.currency_id.rounding)))

    def _do_late_fee(self, step, move):
        company = move.company_id
        amount = self._late_fee_amount(move)
        subscription = self._subscriptions(move)[:1]
        if not amount or not subscription:
            return self.env._("no late fee")
        product = company.isp_late_fee_product_id or self.env.ref("isp_subscription.product_late_fee")
        charge = self.env["isp.subscription.charge"].create(
            subscription._charge_values(
                float(amount),
                subscription._customer_env()._("Late fee for invoice %s", move.name),
                kind="late_fee",
                product=product,
            )
        )
        if company.isp_late_fee_blocks_reconnect:
            self._invoice_now(charge, move)
        return str(amount)

    def _invoice_now(self, charge, move):
        """A late fee that must be paid to reconnect gets its own invoice at once."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": move.partner_id.id,
                "invoice_date": fields.Date.context_today(self),
                "journal_id": move.journal_id.id,
                "currency_id": move.currency_id.id,
                "isp_invoice": True,
                "isp_late_fee_invoice": True,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": charge.product_id.id,
                            "name": charge.name,
                            "quantity": 1,
                            "price_unit": charge.price_unit,
                            "isp_subscription_id": charge.subscription_id.id,
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        charge.move_line_id = invoice.invoice_line_ids[:1]

    def _to_suspend(self, move):
        return self._subscriptions(move).filtered(lambda s: s.state == "active")

    def _to_terminate(self, move):
        return self._subscriptions(move).filtered(lambda s: s.state == "suspended" and s.suspended_for_debt)

    def _suspension_reason(self, move):
        return self.with_context(lang=move.partner_id.lang).env._("Invoice %s is unpaid.", move.name)

    def _do_suspend(self, step, move):
        active = self._to_suspend(move)
        active._suspend(reason=self._suspension_reason(move), for_debt=True)
        return ", ".join(active.mapped("name"))

    def _do_suspends(self, step, moves):
        """The suspension step of many invoices at once: ``{move id: (state, note)}``, or ``{}``
        when the batch fails, so that each invoice goes through :meth:`_do_step` alone and a
        failure stays one customer's."""
        reasons, results = {}, {}
        for move in moves:
            # a subscription on two invoices of the batch is suspended for the first one
            active = self._to_suspend(move).filtered(lambda s: s.id not in reasons)
            reasons.update(dict.fromkeys(active.ids, self._suspension_reason(move)))
            results[move.id] = ("done", ", ".join(active.mapped("name")))
        try:
            with self.env.cr.savepoint():
                self.env["isp.subscription"].browse(list(reasons))._suspend(reason=reasons, for_debt=True)
        except psycopg2.OperationalError:
            raise  # a lock or serialization conflict: the job is retried as a whole
        except Exception as error:  # retried invoice by invoice
            _logger.info(
                "Dunning: suspending %s invoices together failed (%s), one by one", len(moves), error
            )
            return {}
        return results

    def _do_terminate(self, step, move):
        suspended = self._to_terminate(move)
        suspended._terminate()
        return ", ".join(suspended.mapped("name"))

    # Preview (the Run Dunning Now wizard)

    @api.model
    def _preview(self, today):
        """What the run would do today, without doing it: one dict per invoice and step due,
        with the customer, invoice, amount due, days overdue, action and what it would do."""
        steps = self._policy()
        if not steps:
            return []
        policy = [dunning.Step(s.days_after_due, s.action) for s in steps]
        lines = []
        for move in self._overdue_moves(steps, today):  # one prefetch set: no query per invoice
            for step in self._steps_due(move, policy, today):
                lines.append(
                    {
                        "partner_id": move.partner_id.id,
                        "move_id": move.id,
                        "amount_due": move.amount_residual,
                        "days_overdue": (today - move.invoice_date_due).days,
                        "action": step.action,
                        "description": getattr(self, f"_preview_{step.action}")(move),
                    }
                )
        return lines

    def _preview_reminder_email(self, move):
        partner = move.partner_id
        if not partner.email_normalized:
            return self._no_email_reason(partner)
        return self.env._("email to %s", partner.email)

    def _preview_sms(self, move):
        number = move.partner_id.mobile or move.partner_id.phone
        if not number:
            return self.env._("no mobile number, nothing sent")
        return self.env._("text message to %s", number)

    def _preview_late_fee(self, move):
        try:
            amount = self._late_fee_amount(move)
        except ValueError as error:
            return str(error)
        if not amount or not self._subscriptions(move):
            return self.env._("no late fee")
        return self.env._(
            "late fee of %s", formatLang(self.env, float(amount), currency_obj=move.company_id.currency_id)
        )

    def _preview_suspend(self, move):
        subscriptions = self._to_suspend(move)
        if not subscriptions:
            return self.env._("nothing to suspend")
        return self.env._("suspend %s", ", ".join(subscriptions.mapped("name")))

    def _preview_terminate(self, move):
        subscriptions = self._to_terminate(move)
        if not subscriptions:
            return self.env._("nothing to terminate")
        return self.env._("terminate %s", ", ".join(subscriptions.mapped("name")))
