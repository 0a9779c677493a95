# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models

from ..lib import geo, route


class IspMapRoute(models.TransientModel):
    """A repair route as printed from the map: its ordered stops, kept only for the report
    (transient: cleaned up by Odoo after a while; each user reads only their own)."""

    _name = "isp.map.route"
    _description = "Printable Repair Route"

    name = fields.Char(required=True)
    start_name = fields.Char(string="Start")
    start_latitude = fields.Float(digits=(10, 7))
    start_longitude = fields.Float(digits=(10, 7))
    stop_ids = fields.One2many("isp.map.route.stop", "route_id", string="Stops")
    distance_km = fields.Float(
        string="Distance (km)", digits=(10, 1), help="As the crow flies, from the start through every stop."
    )

    @api.model
    def _print_route(self, name, stops, start=None):
        """Store the route ``stops`` (dicts of ``isp.map.route.stop`` values in visiting order,
        with ``latitude`` and ``longitude``) from ``start`` (a dict with ``name``, ``latitude``,
        ``longitude``, or None) and return the action printing it."""
        points = [(stop["latitude"], stop["longitude"]) for stop in stops]
        origin = (start["latitude"], start["longitude"]) if start else (points[0] if points else None)
        distance = route.path_length(origin, points, range(len(points)), geo.distance_m) if origin else 0.0
        record = self.create(
            {
                "name": name,
                "start_name": start["name"] if start else False,
                "start_latitude": start["latitude"] if start else 0.0,
                "start_longitude": start["longitude"] if start else 0.0,
                "distance_km": distance / 1000.0,
                "stop_ids": [
                    fields.Command.create({**stop, "sequence": index}) for index, stop in enumerate(stops, 1)
                ],
            }
        )
        return self.env.ref("isp_mapping.action_report_isp_map_route").report_action(record, config=False)


class IspMapRouteStop(models.TransientModel):
    _name = "isp.map.route.stop"
    _description = "Printable Repair Route Stop"
    _order = "route_id, sequence, id"

    route_id = fields.Many2one("isp.map.route", required=True, ondelete="cascade")
    sequence = fields.Integer()
    name = fields.Char(required=True, help="The customer or the site visited.")
    reference = fields.Char(help="The subscription's reference or the site's code.")
    subscription_id = fields.Many2one("isp.subscription")
    site_id = fields.Many2one("isp.site")
    address = fields.Char()
    phone = fields.Char()
    latitude = fields.Float(digits=(10, 7))
    longitude = fields.Float(digits=(10, 7))
    navigation_url = fields.Char(string="Navigation Link", compute="_compute_navigation_url")

    @api.depends("latitude", "longitude")
    def _compute_navigation_url(self):
        for stop in self:
            stop.navigation_url = route.navigation_url(stop.latitude, stop.longitude)
