# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from collections import defaultdict
from datetime import timedelta

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.tools import plaintext2html

_logger = logging.getLogger(__name__)

CHANNELS = ("email", "sms", "whatsapp")
TEXT_CHANNELS = ("sms", "whatsapp")
EMAIL_FIELDS = ["subject", "body_html", "email_from", "reply_to"]
EMAIL_RETRIES = 5  # sends again of an email that failed for want of the mail server
EMAIL_RETRY_MINUTES = 15
# Failures that another try does not cure: the address is wrong, not the server.
PERMANENT_FAILURES = ("mail_email_invalid", "mail_email_missing", "mail_from_invalid", "mail_from_missing")


class MailMail(models.Model):
    _inherit = "mail.mail"

    isp_notification = fields.Boolean(
        string="ISP Notification", readonly=True, copy=False, index="btree_not_null"
    )
    isp_retries = fields.Integer(string="Sent Again", readonly=True, copy=False)


class IspNotification(models.AbstractModel):
    """The one way the ISP addons tell customers something: dunning, outages, bulk messages.

    * Email goes through an Odoo mail template rendered in each customer's language
      (the template's ``lang``), as ``mail.mail`` records created in one go; each email is
      a message in the customer's chatter, its delivery state shown there.
    * SMS and WhatsApp are queued as ``isp.sms.message`` in E.164 form and sent by its
      scheduled action through the company's HTTP gateway: a failed send is retried a
      capped number of times and stays listed (Billing > Text Messages) with its error.
    * Each customer gets one note saying what was sent or why not, all notes in one create,
      without any follower notification.
    * An email the mail server did not take (connection, server error) is sent again every
      15 minutes, ``EMAIL_RETRIES`` times, by the text messages' scheduled action; it stays in
      the customer's chatter marked as failed (with Odoo's *Resend*) once they are used up.

    Callers check the user's rights; the service itself writes as superuser (a technician
    opening an outage may not create mails or text messages), in the user's name.
    """

    _name = "isp.notification"
    _description = "Customer Notifications"

    @api.model
    def _notify(
        self,
        partners,
        email_template=None,
        sms_body=None,
        channels=CHANNELS,
        res_record=None,
        title=None,
    ):
        """Tell ``partners`` (customers) one thing on ``channels``.

        :param email_template: a ``mail.template`` on ``res.partner`` (rendered per customer,
            in their language), or on ``res_record``'s model (rendered once per language);
            ``res_record`` is also given to it as ``ctx['isp_record']``.
        :param sms_body: the text of the SMS / WhatsApp message, or a callable
            ``partner -> text`` (to write it in the customer's language).
        :param title: the note's first words on the customer (default: the template's name,
            else ``res_record``'s name).
        :returns: ``{"mails": mail.mail, "texts": isp.sms.message}``, what was created.
        """
        partners = partners.exists()
        lines = defaultdict(list)
        mails = self.env["mail.mail"]
        texts = self.env["isp.sms.message"]
        if partners and email_template and "email" in channels:
            mails = self._send_emails(email_template, partners, lines, res_record=res_record)
        if partners and sms_body:
            for channel in TEXT_CHANNELS:
                if channel in channels:
                    texts |= self.env["isp.sms.message"]._queue_batch(
                        partners, sms_body, channel=channel, lines=lines
                    )
        title = title or (email_template and email_template.name) or (res_record and res_record.display_name)
        self._log_notes(
            [
                (partner, "\n".join(([title] if title else []) + lines[partner.id]))
                for partner in partners
                if lines[partner.id]
            ]
        )
        return {"mails": mails, "texts": texts}

    # --- email ---------------------------------------------------------------------

    @api.model
    def _send_emails(self, template, partners, lines, res_record=None):
        """Render ``template`` for each customer with an email address and create the emails
        in one go; ``lines`` gets what happened per customer id.

        A template on ``res.partner`` is rendered for each customer (in their language); a
        template on ``res_record``'s model is rendered once per language of the customers,
        which is what makes a thousand outage emails cheap (QWeb compiles a mail body for
        each rendering)."""
        with_email = partners.filtered("email_normalized")
        for partner in partners - with_email:
            lines[partner.id].append(self._no_email_reason(partner))
        if not with_email:
            return self.env["mail.mail"]
        template = template.sudo().with_context(isp_record=res_record)
        if template.model == "res.partner":
            rendered = template._generate_template(with_email.ids, EMAIL_FIELDS)
        elif res_record and template.model == res_record._name:
            rendered = {}
            by_lang = defaultdict(list)
            for partner in with_email:
                by_lang[partner.lang or self.env.lang or "en_US"].append(partner.id)
            for lang, partner_ids in by_lang.items():
                values = template.with_context(template_preview_lang=lang)._generate_template(
                    res_record.ids, EMAIL_FIELDS
                )[res_record.id]
                rendered.update(dict.fromkeys(partner_ids, values))
        else:
            raise ValueError(f"{template.name}: a template on res.partner or on the notified record's model")
        mails = []
        senders = self._default_senders(with_email)
        for partner in with_email:
            values = rendered[partner.id]
            author_id, email_from = senders[partner.id]
            if values.get("email_from"):
                email_from = values["email_from"]
            if not email_from:
                lines[partner.id].append(
                    self.env._("No email sent: no sender address (set an email address on the company).")
                )
                continue
            mails.append(
                {
                    "model": partner._name,
                    "res_id": partner.id,
                    "record_name": partner.display_name,
                    "body": values.get("body_html"),
                    "body_html": values.get("body_html"),
                    "subject": values.get("subject"),
                    "author_id": author_id,
                    "email_from": email_from,
                    "reply_to": values.get("reply_to") or email_from,
                    "recipient_ids": [Command.set(partner.ids)],
                    "partner_ids": [Command.set(partner.ids)],
                    "auto_delete": template.auto_delete,
                    "mail_server_id": template.mail_server_id.id,
                }
            )
            lines[partner.id].append(self.env._("Email sent to %s.", partner.email_normalized))
        return self._create_mails(mails)

    @api.model
    def _create_mails(self, values_list):
        """Create ``mail.mail`` (with their chatter messages) and their delivery envelopes in
        one go, then wake the mail queue. Each value needs ``recipient_ids``."""
        if not values_list:
            return self.env["mail.mail"]
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        for values in values_list:
            values.setdefault("message_type", "comment")
            values.setdefault("subtype_id", subtype_id)
            values.setdefault("is_notification", True)
            values.setdefault("isp_notification", True)
        created = self.env["mail.mail"].sudo().create(values_list)
        # The envelope of each message in the chatter, updated when the email goes.
        self.env["mail.notification"].sudo().create(
            [
                {
                    "author_id": mail.author_id.id,
                    "mail_message_id": mail.mail_message_id.id,
                    "mail_mail_id": mail.id,
                    "res_partner_id": partner.id,
                    "notification_type": "email",
                    "notification_status": "ready",
                    "is_read": True,
                }
                for mail in created
                for partner in mail.recipient_ids
            ]
        )
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return created

    @api.model
    def _retry_failed_emails(self, limit=500):
        """Queue again the notification emails the mail server did not take, at most
        ``EMAIL_RETRIES`` times each, ``EMAIL_RETRY_MINUTES`` after the last failure; returns
        them. Wrong addresses are not retried: they are noted in the chatter already."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("isp_notification", "=", True),
                    ("state", "=", "exception"),
                    ("failure_type", "not in", PERMANENT_FAILURES),
                    ("isp_retries", "<", EMAIL_RETRIES),
                    ("write_date", "<=", fields.Datetime.now() - timedelta(minutes=EMAIL_RETRY_MINUTES)),
                ],
                limit=limit,
                order="id",
            )
        )
        if not mails:
            return mails
        for retries, batch in mails.grouped("isp_retries").items():
            batch.write(
                {
                    "state": "outgoing",
                    "isp_retries": retries + 1,
                    "failure_reason": False,
                    "failure_type": False,
                }
            )
        self.env["mail.notification"].sudo().search(
            [("mail_mail_id", "in", mails.ids), ("notification_status", "in", ("exception", "bounce"))]
        ).write({"notification_status": "ready", "failure_type": False, "failure_reason": False})
        _logger.info("%s notification emails queued again after a mail server failure", len(mails))
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return mails

    @api.model
    def _default_senders(self, partners):
        """``{partner id: (author id, email from)}``: the customer's company address, else the
        user's (never OdooBot's), else ``(False, False)``."""
        user = self.env.user
        fallback = (
            (user.partner_id.id, user.email_formatted)
            if user.email and self.env.uid != SUPERUSER_ID
            else (False, False)
        )
        result = {}
        for partner in partners:
            company = partner.company_id or self.env.company
            if company.email:
                result[partner.id] = (company.partner_id.id, company.email_formatted)
            else:
                result[partner.id] = fallback
        return result

    @api.model
    def _no_email_reason(self, partner):
        if partner.email:
            return self.env._("No email sent: invalid email address %s.", partner.email)
        return self.env._("No email sent: no email address.")

    # --- the customer's chatter ----------------------------------------------------------

    @api.model
    def _log_notes(self, notes):
        """Log ``[(record, text)]`` as notes in the records' chatter, in one create, without
        notifying their followers (a trace, not a conversation)."""
        if not notes:
            return self.env["mail.message"]
        author_id, email_from = self.env["mail.thread"]._message_compute_author(raise_on_email=False)
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        by_model = defaultdict(set)
        for record, _text in notes:
            by_model[record._name].add(record.id)
        reply_to = {
            model: self.env[model].browse(ids).sudo()._notify_get_reply_to(default=email_from)
            for model, ids in by_model.items()
        }
        return (
            self.env["mail.message"]
            .sudo()
            .create(
                [
                    {
                        "model": record._name,
                        "res_id": record.id,
                        "record_name": record.display_name,
                        "message_type": "notification",
                        "subtype_id": subtype_id,
                        "body": plaintext2html(text),
                        "author_id": author_id,
                        "email_from": email_from,
                        "reply_to": reply_to[record._name][record.id],
                    }
                    for record, text in notes
                ]
            )
        )
