# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models


class IspSubscription(models.Model):
    _inherit = "isp.subscription"

    radius_username = fields.Char(
        string="RADIUS User",
        compute="_compute_radius_username",
        search="_search_radius_username",
        help="The user last written into the RADIUS databases: removed there if the PPPoE username changes.",
    )
    radius_session_ids = fields.One2many("isp.radius.session", "subscription_id", string="RADIUS Sessions")

    def _radius_provisioner(self):
        return self.env.ref("isp_radius.provisioner_radius").sudo()

    @api.depends("provisioning_state_ids.reference")
    def _compute_radius_username(self):
        states = (
            self.env["isp.provisioning.state"]
            .sudo()
            .search(
                [
                    ("subscription_id", "in", self.ids),
                    ("provisioner_id", "=", self._radius_provisioner().id),
                ]
            )
        )
        names = {state.subscription_id.id: state.reference for state in states}
        for subscription in self:
            subscription.radius_username = names.get(subscription.id, False)

    def _search_radius_username(self, operator, value):
        return [
            (
                "provisioning_state_ids",
                "any",
                [("provisioner_id", "=", self._radius_provisioner().id), ("reference", operator, value)],
            )
        ]

    def _set_radius_username(self, name):
        """Remember the RADIUS user written for the subscription, on the RADIUS backend's own
        provisioning state: the job writes no row of the subscription itself."""
        self.ensure_one()
        provisioner = self._radius_provisioner()
        States = self.env["isp.provisioning.state"].sudo()
        state = States.search([("subscription_id", "=", self.id), ("provisioner_id", "=", provisioner.id)])
        if state:
            state.reference = name
        else:
            States.create({"subscription_id": self.id, "provisioner_id": provisioner.id, "reference": name})
        self.invalidate_recordset(["radius_username"])
