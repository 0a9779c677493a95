# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

STATUS_SELECTION = [
    ("pending", "Pending"),
    ("done", "Done"),
    ("retrying", "Retrying"),
    ("failed", "Failed"),
    ("not_served", "Not Served"),
]


class IspProvisioningState(models.Model):
    """Where one network backend stands with one subscription.

    Each provisioning job writes only its own row, so backends working on the
    same subscription at the same time (RADIUS and RouterOS) never update a
    row in common, and the subscription row is written once per billing change.
    """

    _name = "isp.provisioning.state"
    _description = "Provisioning State"
    _order = "subscription_id, provisioner_id"

    subscription_id = fields.Many2one("isp.subscription", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="subscription_id.company_id", store=True, index=True)
    provisioner_id = fields.Many2one("isp.provisioner", required=True, ondelete="cascade")
    status = fields.Selection(STATUS_SELECTION, required=True, default="pending", index=True)
    error = fields.Text(readonly=True)
    attempts = fields.Integer(readonly=True)
    done_at = fields.Datetime(string="Provisioned At", readonly=True)
    reference = fields.Char(
        readonly=True,
        help="What the backend knows the subscription as (its RADIUS user, for instance), kept "
        "here rather than on the subscription so that a backend's job never writes that row.",
    )

    _sql_constraints = [
        (
            "subscription_provisioner_unique",
            "UNIQUE(subscription_id, provisioner_id)",
            "One state per subscription and provisioner.",
        ),
    ]

    def _failed(self, error, final=False, attempts=None):
        values = {"status": "failed" if final else "retrying", "error": error}
        if attempts is not None:
            values["attempts"] = attempts
        self.write(values)
        if final:
            self.subscription_id.message_post(
                body=self.env._(
                    "The network (%(provisioner)s) could not be updated: %(error)s",
                    provisioner=self.provisioner_id.name,
                    error=error,
                )
            )
