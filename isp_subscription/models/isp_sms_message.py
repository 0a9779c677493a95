# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging
from collections import defaultdict
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_logger = logging.getLogger(__name__)

# Minutes to wait before the next attempt after a failed send: 1, 5, 15, 60, then every 4 hours.
RETRY_MINUTES = (1, 5, 15, 60)
RETRY_MINUTES_MAX = 240
MAX_ATTEMPTS = 10
TIMEOUT = 10  # seconds


class IspSmsMessage(models.Model):
    """A text message (SMS or WhatsApp) to a customer, sent through the company's HTTP gateway.

    Messages are queued, then sent by a scheduled action (triggered at once on
    creation). A failed send is retried with a growing delay and stays visible
    in the list with its error; after ``MAX_ATTEMPTS`` it is marked failed.
    Each send and each final failure is logged on the customer.

    Gateways are picked by the company's ``isp_sms_provider``: an addon adds a
    selection value and implements ``_send_<provider>()`` returning the
    gateway's reference for the message (or raising on failure).
    """

    _name = "isp.sms.message"
    _description = "SMS / WhatsApp Message"
    _order = "id desc"
    _rec_name = "number"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    channel = fields.Selection([("sms", "SMS"), ("whatsapp", "WhatsApp")], default="sms", required=True)
    number = fields.Char(required=True, help="In E.164 form, e.g. +6281234567890.")
    body = fields.Text(required=True)
    state = fields.Selection(
        [("queued", "Queued"), ("sent", "Sent"), ("retrying", "Retrying"), ("failed", "Failed")],
        default="queued",
        required=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True)
    next_attempt = fields.Datetime(readonly=True, default=fields.Datetime.now, index=True)
    error = fields.Text(readonly=True)
    sent_at = fields.Datetime(readonly=True)
    gateway_reference = fields.Char(readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", index="btree_not_null")

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        self.env.ref("isp_subscription.ir_cron_send_sms")._trigger()
        return messages

    @api.model
    def _queue(self, partner, body, channel="sms", move=None):
        """Queue ``body`` for the customer's mobile (or phone) number: the message, or an
        empty recordset without a number (noted on the customer). An invalid number raises."""
        return self._queue_batch(partner, body, channel=channel, move=move, raise_invalid=True)

    @api.model
    def _queue_batch(self, partners, body, channel="sms", move=None, lines=None, raise_invalid=False):
        """Queue a message to each of ``partners`` in one create (see ``isp.notification``).

        ``body`` is the text or a callable ``partner -> text``. Customers without a number or
        with an invalid one get nothing; why is noted on them, or added to ``lines`` (``{partner
        id: [text]}``) when given, for the caller's one note per customer."""
        notify = self.env["isp.notification"]
        label = dict(self._fields["channel"]._description_selection(self.env))[channel]
        alone = lines is None
        notes, values = defaultdict(list) if alone else lines, []
        for partner in partners:
            text = body(partner) if callable(body) else body
            number = partner.mobile or partner.phone
            if not number:
                notes[partner.id].append(
                    self.env._("No text message sent: no mobile number. Message: %s", text)
                )
                continue
            try:
                number = partner._isp_e164(
                    number, partner.country_id or self.env.company.country_id, partner.name
                )
            except ValidationError as error:
                if raise_invalid:
                    raise
                notes[partner.id].append(self.env._("No text message sent: %s", error.args[0]))
                continue
            values.append(
                {
                    "partner_id": partner.id,
                    "company_id": (partner.company_id or self.env.company).id,
                    "channel": channel,
                    "number": number,
                    "body": text,
                    "move_id": move.id if move else False,
                }
            )
            if not alone:  # alone, the message is noted on the customer when it is sent
                notes[partner.id].append(
                    self.env._("%(channel)s queued to %(number)s.", channel=label, number=number)
                )
        messages = self.sudo().create(values).with_env(self.env) if values else self.browse()
        if alone and notes:
            by_id = {partner.id: partner for partner in partners}
            notify._log_notes([(by_id[pid], "\n".join(texts)) for pid, texts in notes.items()])
        return messages

    @api.model
    def _cron_send(self, limit=500):
        messages = self.search(
            [("state", "in", ("queued", "retrying")), ("next_attempt", "<=", fields.Datetime.now())],
            limit=limit,
            order="next_attempt, id",
        )
        messages._send()
        # the notification emails the mail server refused are sent again on the same schedule
        self.env["isp.notification"]._retry_failed_emails()

    def _send(self):
        """Try to send each message once now; what was sent is noted on the customers at once."""
        notes = []
        labels = dict(self._fields["channel"]._description_selection(self.env))
        for message in self:
            provider = message.company_id.isp_sms_provider
            if not provider:
                continue  # stays queued until a gateway is configured
            try:
                reference = getattr(message, f"_send_{provider}")()
            except Exception as error:  # any gateway failure is retried, never lost
                message._send_failed(error)
                continue
            message.write(
                {
                    "state": "sent",
                    "sent_at": fields.Datetime.now(),
                    "attempts": message.attempts + 1,
                    "gateway_reference": reference or False,
                    "error": False,
                }
            )
            notes.append(
                (
                    message.partner_id,
                    self.env._(
                        "%(channel)s sent to %(number)s: %(body)s",
                        channel=labels[message.channel],
                        number=message.number,
                        body=message.body,
                    ),
                )
            )
        self.env["isp.notification"]._log_notes(notes)

    def _send_failed(self, error):
        attempts = self.attempts + 1
        _logger.warning(
            "Text message %s to %s failed (attempt %s): %s", self.id, self.number, attempts, error
        )
        final = attempts >= MAX_ATTEMPTS
        delay = RETRY_MINUTES[attempts - 1] if attempts <= len(RETRY_MINUTES) else RETRY_MINUTES_MAX
        self.write(
            {
                "state": "failed" if final else "retrying",
                "attempts": attempts,
                "error": str(error),
                "next_attempt": fields.Datetime.now() + timedelta(minutes=delay),
            }
        )
        if final:
            self.partner_id.message_post(
                body=self.env._(
                    "Text message to %(number)s could not be sent after %(attempts)s attempts: %(error)s",
                    number=self.number,
                    attempts=attempts,
                    error=error,
                )
            )

    def action_retry(self):
        """Send these messages again now, from the first attempt (billing staff)."""
        self.check_access("write")
        self.write({"state": "queued", "attempts": 0, "next_attempt": fields.Datetime.now()})
        self._send()
        return True

    def _send_http_json(self):
        """POST ``{"to", "from", "text", "channel"}`` as JSON with a bearer token; 2xx is success."""
        company = self.company_id.sudo()
        headers = (
            {"Authorization": f"Bearer {company.isp_sms_gateway_token}"}
            if company.isp_sms_gateway_token
            else {}
        )
        response = requests.post(
            company.isp_sms_gateway_url,
            json={
                "to": self.number,
                "from": company.isp_sms_sender or "",
                "text": self.body,
                "channel": self.channel,
            },
            headers=headers,
            timeout=TIMEOUT,
        )
        response.raise_for_status()
        try:
            return str(response.json().get("id") or "")
        except ValueError:
            return ""
