# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.isp_base.access import check_isp_group

from ..lib import geo, route

MAP_GROUP = "isp_base.group_isp_user"


class IspSite(models.Model):
    _inherit = "isp.site"

    coverage_radius_m = fields.Integer(
        string="Coverage Radius (m)",
        help="How far from the site customers can be served, drawn as a circle on the map. 0: not drawn.",
    )

    _sql_constraints = [
        (
            "coverage_radius_m_positive",
            "CHECK(coverage_radius_m >= 0)",
            "A coverage radius cannot be negative.",
        ),
    ]

    def _check_map_access(self):
        """The map is for every ISP role (roles.md), not for portal users or other employees."""
        check_isp_group(self.env, MAP_GROUP)

    @api.model
    def get_map_config(self):
        """The tiles to draw (``tiles_url`` empty: none), a default centre (the first point of
        presence), for the maps of forms, and ``new_ticket``: the model of the tickets the popups
        may open for a customer (none here; the helpdesk glue gives it to those who may)."""
        self._check_map_access()
        config = self.env["ir.config_parameter"].sudo()
        pop = self._route_start()
        return {
            "tiles_url": config.get_param("isp_mapping.tiles_url", ""),
            "tiles_attribution": config.get_param("isp_mapping.tiles_attribution", ""),
            "center": [pop.latitude, pop.longitude] if pop else False,
            "new_ticket": False,
        }

    @api.model
    def get_map_data(self, domain=None, include_hidden=False, group_by=None):
        """The map of the sites matching ``domain``: those sites, and the subscriptions served
        by them or by a site below them (see ``isp.subscription.get_map_data``). The sites'
        group-by is about sites: the subscriptions are not grouped."""
        self._check_map_access()
        sites = self.search(domain or [])
        subscription_domain = [("site_id", "child_of", sites.ids)] if sites else [("id", "=", 0)]
        return self.env["isp.subscription"].get_map_data(
            subscription_domain, include_hidden=include_hidden, site_ids=sites.ids
        )

    def _map_sites(self, site_ids=None):
        """The sites layer: every readable site with coordinates (or those of ``site_ids``), with
        its subscribers below it (itself and its child sites), how many are online, and whether it
        is down (it has active subscribers and none of them is online) with the affected area
        (the hull of its subscribers' places)."""
        domain = [("latitude", "!=", 0), ("longitude", "!=", 0)]
        if site_ids is not None:
            domain.append(("id", "in", site_ids))
        sites = self.search_fetch(
            domain,
            [
                "name",
                "complete_name",
                "code",
                "site_type",
                "latitude",
                "longitude",
                "coverage_radius_m",
                "parent_id",
                "parent_path",
            ],
        )
        # one query: active subscribers per serving site, in the user's companies
        self.env.cr.execute(
            """
            SELECT site_id, COUNT(*), COUNT(*) FILTER (WHERE network_online)
              FROM isp_subscription
             WHERE state = 'active' AND site_id IS NOT NULL AND company_id = ANY(%s)
             GROUP BY site_id
            """,
            [self.env.companies.ids],
        )
        direct = {site_id: (total, online) for site_id, total, online in self.env.cr.fetchall()}
        all_sites = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch([("id", "in", list(direct))], ["parent_path"])
        )
        totals = {}
        for site in all_sites:
            total, online = direct[site.id]
            for ancestor in site.parent_path.strip("/").split("/"):
                counted = totals.setdefault(int(ancestor), [0, 0])
                counted[0] += total
                counted[1] += online
        down = sites.filtered(lambda site: totals.get(site.id, [0, 0])[0] and not totals[site.id][1])
        areas = self._map_affected_areas(down)
        result = []
        for site in sites:
            total, online = totals.get(site.id, (0, 0))
            result.append(
                {
                    "id": site.id,
                    "name": site.complete_name,
                    "code": site.code,
                    "type": site.site_type,
                    "parent_id": site.parent_id.id,
                    "lat": site.latitude,
                    "lng": site.longitude,
                    "coverage_radius_m": site.coverage_radius_m,
                    "subscribers": total,
                    "online": online,
                    "down": bool(total and not online),
                    "area": areas.get(site.id, []),
                }
            )
        return result

    def _map_affected_areas(self, sites):
        """site id -> hull [(lat, lng)] of the offline active subscribers below each of ``sites``.

        Each subscriber is read once, with its own site: a hull per serving site, then each down
        site's hull is the hull of the hulls below it (the same polygon as the hull of all their
        points), so nested down sites (a POP, its towers, their APs) cost no more queries or rows."""
        if not sites:
            return {}
        below = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch([("id", "child_of", sites.ids)], ["parent_path"])
        )
        self.env.cr.execute(
            """
            SELECT site_id, latitude, longitude
              FROM isp_subscription
             WHERE site_id = ANY(%s) AND state = 'active' AND NOT COALESCE(network_online, FALSE)
               AND company_id = ANY(%s) AND (latitude != 0 OR longitude != 0)
            """,
            [below.ids, self.env.companies.ids],
        )
        points = {}
        for site_id, lat, lng in self.env.cr.fetchall():
            points.setdefault(site_id, []).append((lat, lng))
        down = set(sites.ids)
        collected = {}
        for site in below:
            if site.id not in points:
                continue
            hull = geo.convex_hull(points[site.id])
            for ancestor in site.parent_path.strip("/").split("/"):
                if int(ancestor) in down:
                    collected.setdefault(int(ancestor), []).extend(hull)
        return {site_id: [list(p) for p in geo.convex_hull(pts)] for site_id, pts in collected.items()}

    # --- outage tool ------------------------------------------------------------

    def _affected_subscriptions(self):
        """Active and suspended subscriptions served by these sites or by a site below them."""
        return self.env["isp.subscription"].search(
            [("site_id", "child_of", self.ids), ("state", "in", ("active", "suspended"))]
        )

    def get_outage(self, start_site_id=None):
        """The outage tool for these sites: affected subscriptions (ids), how many are offline,
        the first of them for the panel's list (``customers``: id, name, customer, online), and the
        repair route through the sites from ``start_site_id`` (by default the company's
        first point of presence; without one, from the first site)."""
        self._check_map_access()
        subscriptions = self._affected_subscriptions()
        start, points = self._plan_site_route(start_site_id)
        return {
            "subscription_ids": subscriptions.ids,
            "offline_count": len(subscriptions.filtered(lambda s: not s.network_online)),
            "customers": subscriptions._map_affected_list(),
            "start_site_id": start.id,
            "route": points,
        }

    def _plan_site_route(self, start_site_id=None):
        """(start site, route payload) of the repair route through these sites (those with
        coordinates) from ``start_site_id`` or the company's first point of presence."""
        stops = self.filtered(lambda s: s.latitude or s.longitude)
        start = self._map_route_origin(start_site_id)
        order = []
        if stops:
            origin = start or stops[0]
            order = route.plan_route(
                (origin.latitude, origin.longitude), [(site.latitude, site.longitude) for site in stops]
            )
        return start, self._route_payload(start, stops, order)

    @api.model
    def _map_route_origin(self, start_site_id=None):
        """The chosen start site (readable by the caller, else an AccessError) or by default the
        company's first point of presence; an empty recordset when there is none."""
        if start_site_id and not isinstance(start_site_id, int):
            raise UserError(self.env._("The start of a route must be a site."))
        start = self.browse(start_site_id).exists() if start_site_id else self._route_start()
        if start:
            start.check_access("read")
        return start

    def _route_start(self):
        """Where the technician leaves from: the company's first point of presence with coordinates."""
        return self.search(
            [("site_type", "=", "pop"), ("latitude", "!=", 0), ("company_id", "in", self.env.companies.ids)],
            limit=1,
            order="id",
        )

    def _route_payload(self, start, stops, order):
        points = []
        if start:
            points.append(
                {"id": start.id, "name": start.complete_name, "lat": start.latitude, "lng": start.longitude}
            )
        for index in order:
            site = stops[index]
            points.append(
                {"id": site.id, "name": site.complete_name, "lat": site.latitude, "lng": site.longitude}
            )
        for point in points:
            point["navigation_url"] = route.navigation_url(point["lat"], point["lng"])
        return points

    def action_print_outage_route(self, start_site_id=None):
        """The printable repair route (QWeb report) through these sites from ``start_site_id`` (by
        default the company's first point of presence), as ``get_outage`` plans it."""
        self._check_map_access()
        if not self:
            raise UserError(self.env._("Choose the sites the route goes through."))
        start, points = self._plan_site_route(start_site_id)
        stops = [
            {
                "name": point["name"],
                "site_id": point["id"],
                "latitude": point["lat"],
                "longitude": point["lng"],
            }
            for point in points
        ]
        names = ", ".join(self[:3].mapped("name")) + (", …" if len(self) > 3 else "")
        return self.env["isp.map.route"]._print_route(
            self.env._("Repair route: %(sites)s", sites=names),
            stops[1:] if start else stops,
            start=stops[0] if start else None,
        )

    def action_open_outage_incident(self):
        """Open an outage incident for the customers affected by these sites. The helpdesk addon
        overrides ``_isp_mapping_open_incident``; without it, this says so."""
        self._check_map_access()
        subscriptions = self._affected_subscriptions()
        if not subscriptions:
            raise UserError(self.env._("No customer is served by these sites."))
        result = self._isp_mapping_open_incident(subscriptions)
        if not result:
            raise UserError(self.env._("Outage incidents need the ISP helpdesk addon."))
        return result

    def _isp_mapping_open_incident(self, subscriptions):
        """Hook for isp_helpdesk: open an outage incident on these sites for ``subscriptions``, notify
        them and return an action opening it. Here: nothing (False)."""
        return False
