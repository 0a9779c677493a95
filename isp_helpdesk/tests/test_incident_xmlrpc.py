# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import xmlrpc.client
from datetime import timedelta

from odoo.tests import HttpCase, tagged

from .test_incident import IspIncidentCommon


@tagged("post_install", "-at_install")
class TestIncidentXmlrpc(IspIncidentCommon, HttpCase):
    """Incidents and credits driven by an outside client, as each role."""

    def call(self, user, model, method, *args):
        return self.xmlrpc_object.execute(self.env.cr.dbname, user.id, user.login, model, method, *args)

    def test_open_resolve_and_approve_over_xmlrpc(self):
        self.company.isp_outage_credit = "review"
        incident_id = self.call(
            self.technician_only,
            "isp.incident",
            "create",
            {"name": "RPC outage", "site_ids": [(6, 0, self.pop.ids)]},
        )
        with self.assertRaisesRegex(xmlrpc.client.Fault, "not allowed"):
            self.call(self.user_only, "isp.incident", "action_open", [incident_id])
        self.assertIs(self.call(self.technician_only, "isp.incident", "action_open", [incident_id]), True)
        incident = self.env["isp.incident"].browse(incident_id)
        incident.date_start = incident.date_start - timedelta(hours=2)  # a real outage lasts
        self.assertIs(self.call(self.helpdesk_agent, "isp.incident", "action_resolve", [incident_id]), True)
        credit_ids = self.env["isp.incident.credit"].search([("incident_id", "=", incident_id)]).ids
        self.assertEqual(len(credit_ids), 1)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "approve outage credits|not allowed"):
            self.call(self.technician_only, "isp.incident.credit", "action_approve", credit_ids)
        self.assertIs(self.call(self.billing_only, "isp.incident.credit", "action_approve", credit_ids), True)
        with self.assertRaisesRegex(xmlrpc.client.Fault, "_create_credits"):
            self.call(self.isp_manager, "isp.incident", "_create_credits", [incident_id])
