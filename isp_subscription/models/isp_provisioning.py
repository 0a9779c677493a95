# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import logging

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.queue_job.job import identity_exact

_logger = logging.getLogger(__name__)

# Seconds to wait before retrying a failed network call: 1, 2, 5, 10, 30 minutes, then hourly.
RETRY_DELAYS = (60, 120, 300, 600, 1800)
RETRY_DELAY_MAX = 3600
MAX_ATTEMPTS = 24


class NotServed(Exception):
    """Raised by a provisioner for a subscription it does not serve (no router above its
    site, for instance): that backend's state says so, and the job ends."""


class PermanentError(Exception):
    """Raised by a provisioner when retrying cannot help (credentials the network cannot
    take, an unknown NAS): the job fails at once with this message."""


class IspProvisioning(models.AbstractModel):
    """The provisioning interface between billing and the network.

    Billing never calls a router. It changes a subscription (activate, suspend,
    reconnect, change of plan or of fair-usage, terminate) and calls
    :meth:`_request`, which enqueues one job per subscription and active
    provisioner. The job is stored in the same transaction, so it exists only
    if the billing change was committed, and runs after it.

    A job does not carry "what happened": it applies what the subscription
    wants *now* (``subscription.network_state`` and its rate limit), so when
    jobs pile up the last desired state wins, and a pending job is never
    duplicated. Provisioners implement ``_isp_apply_<tech_name>(subscription)``
    idempotently; an exception there is recorded on the subscription and the
    job is enqueued again with a growing delay, until ``MAX_ATTEMPTS``.
    """

    _name = "isp.provisioning"
    _description = "Network Provisioning"

    @api.model
    def _request(self, subscriptions, retry=False):
        """Bring the network in line with ``subscriptions``, after this transaction commits.

        ``retry``: the same state is sent again (a session seen alive after a suspension),
        so each backend's attempts go on counting and a kick that keeps failing ends failed.
        """
        provisioners = self.env["isp.provisioner"].sudo().search([("active", "=", True)])
        if not provisioners or not subscriptions:
            return
        # Only a subscription whose last attempt failed has a job waiting to retry, which
        # would hold back the new state (a pending job is never duplicated): run it now.
        States = self.env["isp.provisioning.state"].sudo()
        retrying = States.search(
            [("subscription_id", "in", subscriptions.ids), ("status", "=", "retrying")]
        ).subscription_id
        States.flush_model()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO isp_provisioning_state
                    (subscription_id, provisioner_id, company_id, status, attempts,
                     create_uid, write_uid, create_date, write_date)
                SELECT s.id, p.id, s.company_id, 'pending', 0, %(uid)s, %(uid)s,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM isp_subscription s, isp_provisioner p
                 WHERE s.id = ANY(%(subscriptions)s) AND p.id = ANY(%(provisioners)s)
                ON CONFLICT (subscription_id, provisioner_id) DO UPDATE
                   SET status = 'pending',
                       error = CASE WHEN %(retry)s THEN isp_provisioning_state.error END,
                       attempts = CASE WHEN %(retry)s THEN isp_provisioning_state.attempts ELSE 0 END,
                       write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                """,
                uid=self.env.uid,
                retry=retry,
                subscriptions=subscriptions.ids,
                provisioners=provisioners.ids,
            )
        )
        States.invalidate_model()
        subscriptions.invalidate_recordset(["provisioning_state_ids"])
        if retrying:
            self._run_waiting_jobs_now(retrying)
        for provisioner in provisioners:
            for subscription in subscriptions:
                self._enqueue(provisioner, subscription)

    @api.model
    def _run_waiting_jobs_now(self, subscriptions):
        waiting = (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("state", "=", "pending"),
                    ("model_name", "=", self._name),
                    ("method_name", "=", "_apply"),
                    ("eta", "!=", False),
                ]
            )
        )
        waiting.filtered(lambda job: set(job.args[1].ids) & set(subscriptions.ids)).write({"eta": False})

    @api.model
    def _enqueue(self, provisioner, subscription, eta=None):
        self.sudo().with_delay(
            eta=eta,
            identity_key=identity_exact,
            description=self.env._(
                "%(provisioner)s: %(subscription)s",
                provisioner=provisioner.name,
                subscription=subscription.display_name,
            ),
        )._apply(provisioner, subscription)

    @api.model
    def _apply(self, provisioner, subscription):
        """The job: apply the subscription's current desired state with one provisioner."""
        state = self._state(provisioner, subscription)
        method = getattr(self, f"_isp_apply_{provisioner.tech_name}", None)
        if method is None:
            state._failed(self.env._("Provisioner %s is not installed.", provisioner.name), final=True)
            return
        notes = []  # what the provisioner says to the chatter, kept even if the job fails
        try:
            self._apply_once(
                method, provisioner, subscription.with_context(isp_provisioning_notes=notes), state
            )
        finally:
            for note in notes:
                subscription.message_post(body=note)

    @api.model
    def _apply_once(self, method, provisioner, subscription, state):
        try:
            with self.env.cr.savepoint():
                method(subscription)
        except NotServed as reason:
            state.write({"status": "not_served", "error": str(reason), "done_at": fields.Datetime.now()})
            return
        except PermanentError as error:
            _logger.warning(
                "Provisioning %s with %s failed: %s", subscription.display_name, provisioner.name, error
            )
            state._failed(str(error), final=True, attempts=state.attempts + 1)
            return
        except Exception as error:  # a router or RADIUS database is down, a bad reply...
            _logger.warning(
                "Provisioning %s with %s failed: %s", subscription.display_name, provisioner.name, error
            )
            attempts = state.attempts + 1
            final = attempts >= MAX_ATTEMPTS
            state._failed(str(error), final=final, attempts=attempts)
            if not final:
                delay = RETRY_DELAYS[attempts - 1] if attempts <= len(RETRY_DELAYS) else RETRY_DELAY_MAX
                self._enqueue(provisioner, subscription, eta=delay)
            return
        state.write({"status": "done", "error": False, "done_at": fields.Datetime.now()})

    @api.model
    def _note(self, subscription, body):
        """A note on the subscription from a provisioner: posted once the job's savepoint is
        over, so that it stays when the job fails (a NAK, a refused command...)."""
        notes = subscription.env.context.get("isp_provisioning_notes")
        if notes is None:
            subscription.message_post(body=body)
        else:
            notes.append(body)

    @api.model
    def _state(self, provisioner, subscription):
        States = self.env["isp.provisioning.state"].sudo()
        state = States.search(
            [("subscription_id", "=", subscription.id), ("provisioner_id", "=", provisioner.id)]
        )
        return state or States.create({"subscription_id": subscription.id, "provisioner_id": provisioner.id})
