# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""What the NAS answered during one provisioning job, written once the job's savepoint is over.

The provisioning job (``isp.provisioning._apply``) runs the provisioner inside a savepoint that
is rolled back when it raises, and a NAK or a timeout makes it raise so that the job is
retried. Whatever the job learnt from the NAS (its answers for the chatter, a session that is
gone, a walled-garden session still to release) is kept here instead, and written by
:meth:`NasJournal.flush` after the savepoint, in the job's transaction: it survives the retry.
"""

from collections import namedtuple

from odoo.exceptions import UserError

# A live session as read from radacct (or, when radacct no longer has it, from Odoo).
Target = namedtuple("Target", "unique_id acct_session_id username nas_ip session_time started_at")


class NasNotConfirmed(UserError):
    """The NAS did not confirm a CoA or Disconnect. ``permanent``: retrying cannot help
    (no NAS with a secret has the session's address) until someone changes the configuration."""

    def __init__(self, message, permanent=False):
        super().__init__(message)
        self.permanent = permanent


class NasJournal:
    def __init__(self):
        self.messages = []
        self.sessions = {}

    def message(self, subscription, body):
        self.messages.append((subscription, body))

    def session(self, server, subscription, target, **values):
        """Remember ``values`` for the session ``target`` of ``server``; merged per session."""
        key = (server.id, target.unique_id)
        if key in self.sessions:
            self.sessions[key][3].update(values)
        else:
            self.sessions[key] = (server, subscription, target, dict(values))

    def flush(self, env):
        messages, self.messages = self.messages, []
        sessions, self.sessions = list(self.sessions.values()), {}
        for subscription, body in messages:
            subscription.message_post(body=body)
        if sessions:
            env["isp.radius.session"].sudo()._record_nas_answers(sessions)
