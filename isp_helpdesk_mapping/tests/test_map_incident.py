# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.isp_helpdesk.tests.test_incident import IspIncidentCommon


@tagged("post_install", "-at_install")
class TestMapIncident(IspIncidentCommon):
    def test_outage_tool_opens_an_incident_and_notifies(self):
        action = self.tower.with_user(self.technician_only).action_open_outage_incident()
        self.assertEqual(action["res_model"], "isp.incident")
        incident = self.env["isp.incident"].browse(action["res_id"])
        self.assertEqual(incident.state, "open")
        self.assertEqual(incident.site_ids, self.tower)
        self.assertEqual(incident._affected_subscriptions(), self.subscription)
        self.assertIn("Test Tower", incident.name)
        sms = self.env["isp.sms.message"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(sms), 1, "the affected customer is told")
        # the same sites again: the open incident, no second notification
        again = self.tower.with_user(self.isp_manager).action_open_outage_incident()
        self.assertEqual(again["res_id"], incident.id)
        self.assertEqual(len(self.env["isp.sms.message"].search([("partner_id", "=", self.customer.id)])), 1)

    def test_billing_sees_the_map_but_opens_no_incident(self):
        with self.assertRaises(AccessError):
            self.tower.with_user(self.billing_only).action_open_outage_incident()
        self.assertFalse(self.env["isp.incident"].search([("site_ids", "in", self.tower.ids)]))

    def test_an_area_without_site_opens_an_incident_on_its_subscriptions(self):
        area = self.subscription | self.other_subscription
        action = self.env["isp.site"].with_user(self.technician_only)._isp_mapping_open_incident(area)
        incident = self.env["isp.incident"].browse(action["res_id"])
        self.assertEqual(incident.state, "open")
        self.assertFalse(incident.site_ids)
        self.assertEqual(incident._affected_subscriptions(), area)
        self.assertEqual(incident.customer_count, 2)
        self.assertEqual(self.make_ticket(self.other_customer).isp_incident_id, incident)
        self.assertEqual(self.other_customer._isp_open_incidents()[0]["name"], incident.name)

    def test_an_area_drawn_on_the_map_opens_an_incident_on_its_customers(self):
        self.subscription.write({"latitude": -7.7512, "longitude": 110.4012})
        self.other_subscription.write({"latitude": -7.7514, "longitude": 110.4020})
        area = [[-7.7505, 110.4005], [-7.7505, 110.4030], [-7.7525, 110.4030], [-7.7525, 110.4005]]
        Subscription = self.env["isp.subscription"]
        action = Subscription.with_user(self.technician_only).action_open_area_incident(area)
        incident = self.env["isp.incident"].browse(action["res_id"])
        self.assertEqual((incident.state, incident.site_ids), ("open", self.env["isp.site"]))
        self.assertEqual(incident._affected_subscriptions(), self.subscription | self.other_subscription)
        with self.assertRaises(AccessError):
            Subscription.with_user(self.billing_only).action_open_area_incident(area)

    def test_popups_offer_a_new_ticket_to_those_who_may_create_one(self):
        Site = self.env["isp.site"]
        self.assertEqual(
            Site.with_user(self.isp_technician).get_map_config()["new_ticket"], "helpdesk.ticket"
        )
        self.assertFalse(Site.with_user(self.billing_only).get_map_config()["new_ticket"])
