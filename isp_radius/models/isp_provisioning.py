# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, models
from odoo.exceptions import UserError

from odoo.addons.isp_subscription.models.isp_provisioning import PermanentError

from .nas_journal import NasJournal, NasNotConfirmed

JOURNAL_KEY = "isp_radius_journal"


class IspProvisioning(models.AbstractModel):
    _inherit = "isp.provisioning"

    @api.model
    def _isp_apply_radius(self, subscription):
        """Write the subscription into every FreeRADIUS server of its company, then
        tell the NAS about live sessions (Disconnect or CoA). A server that fails does
        not keep the others from being written; the job fails when one did, for good
        when retrying cannot help (a session on a NAS Odoo does not know)."""
        journal = self.env.context.get(JOURNAL_KEY)
        servers = (
            self.env["isp.radius.server"].sudo().search([("company_id", "=", subscription.company_id.id)])
        )
        errors = []
        for server in servers:
            try:
                with self.env.cr.savepoint():
                    server._apply_subscription(subscription.sudo(), journal=journal)
            except Exception as error:  # each server's failure is reported below
                errors.append(error)
        if not errors:
            return
        if all(isinstance(error, NasNotConfirmed) and error.permanent for error in errors):
            raise PermanentError("; ".join(str(error) for error in errors))
        if len(errors) == 1:
            raise errors[0]
        raise UserError("; ".join(str(error) for error in errors))

    @api.model
    def _apply(self, provisioner, subscription):
        """The job, for FreeRADIUS: what the NAS answered is written after the job's savepoint,
        so that a NAK or a timeout that fails the job is still in the chatter, and a session
        still to take out of the walled garden is remembered for the retry."""
        if provisioner.tech_name != "radius":
            return super()._apply(provisioner, subscription)
        journal = NasJournal()
        result = super(IspProvisioning, self.with_context(**{JOURNAL_KEY: journal}))._apply(
            provisioner, subscription
        )
        journal.flush(self.env)
        return result
