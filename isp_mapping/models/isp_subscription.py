# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.isp_subscription.lib import usage

from ..lib import geo, route, status

# What the map shows by default: draft and terminated subscriptions are hidden (status rule).
SHOWN_STATES = ("active", "suspended")
# The affected customers listed in the map's panel (all are counted and opened in a list).
AREA_LISTED = 200
# Stops of a route through chosen customers: the technician's day, and a quick plan.
MAX_ROUTE_STOPS = 50


class IspSubscription(models.Model):
    _inherit = "isp.subscription"

    map_overdue = fields.Boolean(
        string="Overdue Invoice",
        compute="_compute_map_overdue",
        search="_search_map_overdue",
        help="The customer has a posted ISP invoice left unpaid after its due date.",
    )

    def _compute_map_overdue(self):
        due = self._map_amounts_due(self.partner_id.ids)
        for subscription in self:
            subscription.map_overdue = due.get(
                (subscription.partner_id.id, subscription.company_id.id), (0, False)
            )[1]

    def _search_map_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue Invoice."))
        self.env["account.move"].flush_model()
        self.env.cr.execute(
            """
            SELECT DISTINCT sub.id
              FROM isp_subscription sub
              JOIN account_move move ON move.partner_id = sub.partner_id AND move.company_id = sub.company_id
             WHERE move.isp_invoice AND move.state = 'posted' AND move.payment_state IN ('not_paid', 'partial')
               AND move.invoice_date_due < %s
            """,
            [fields.Date.context_today(self)],
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", ids)]

    @api.model
    def get_map_data(self, domain=None, include_hidden=False, site_ids=None, group_by=None):
        """Everything the customer map draws, in one call and a fixed number of queries.

        ``domain`` is the search view's domain on subscriptions. Returns a dict with
        ``subscriptions``: one small entry per subscription with coordinates (id, lat, lng,
        colour, and ``group`` with a group-by), what the markers need and no more (the popup's
        details come from ``get_map_details`` when it opens); ``sites`` (the sites layer, see
        ``isp.site._map_sites``); the tiles' ``config``; and with ``group_by`` (the search's
        group-by: its first stored many2one, selection or boolean field is used) ``groups``
        [{value, label, count}]. Every ISP role may call it; nobody else.
        """
        self.env["isp.site"]._check_map_access()
        domain = list(domain or [])
        if not include_hidden:
            domain.append(("state", "in", SHOWN_STATES))
        domain += ["|", ("latitude", "!=", 0), ("longitude", "!=", 0)]
        group_field = self._map_group_field(group_by)
        points, inputs = self._map_points(domain, group_field)
        colours = self._map_colours(inputs)
        if group_field:
            subscriptions = [
                {"id": sid, "lat": lat, "lng": lng, "colour": colours[sid], "group": group}
                for sid, lat, lng, group in points
            ]
        else:
            subscriptions = [
                {"id": sid, "lat": lat, "lng": lng, "colour": colours[sid]}
                for sid, lat, lng, _group in points
            ]
        return {
            "groups": self._map_groups(group_field, [point[3] for point in points]) if group_field else [],
            "subscriptions": subscriptions,
            "sites": self.env["isp.site"]._map_sites(site_ids),
            "currency": self._map_currency(),
            "config": self.env["isp.site"].get_map_config(),
        }

    @api.model
    def get_map_details(self, ids):
        """What a marker's popup shows, for the subscriptions ``ids`` (at most 1000): id, name,
        lat, lng, colour, customer (and its id), plan, state, site, amount due, overdue, usage this
        period and cap in GB, fair usage, online, last seen. Strings are returned as they are: the
        view renders them as text."""
        self.env["isp.site"]._check_map_access()
        rows = self._map_rows([("id", "in", list(ids or [])[:1000])])
        due = self._map_amounts_due(list({row["partner_id"] for row in rows}))
        usage_gb = self._map_usage_gb(rows)
        details = []
        for row in rows:
            amount, overdue = due.get((row["partner_id"], row["company_id"]), (0.0, False))
            used = usage_gb.get(row["id"], 0.0)
            cap = row["cap_gb"] or 0
            colour = status.status_colour(
                row["state"], row["online"], used, cap, fair_usage=row["fair_usage"], overdue=overdue
            )
            details.append(
                {
                    "id": row["id"],
                    "name": row["name"],
                    "lat": row["latitude"],
                    "lng": row["longitude"],
                    "colour": "grey" if colour == "hidden" else colour,
                    "partner_id": row["partner_id"],
                    "customer": row["customer"],
                    "plan": row["plan"],
                    "state": row["state"],
                    "site_id": row["site_id"],
                    "amount_due": amount,
                    "overdue": overdue,
                    "usage_gb": round(used, 2),
                    "cap_gb": cap,
                    "fair_usage": row["fair_usage"],
                    "online": row["online"],
                    "last_seen": fields.Datetime.to_string(row["last_seen"]) if row["last_seen"] else False,
                }
            )
        return details

    def _map_points(self, domain, group_field=None):
        """One query: ([(id, lat, lng, group value)], {id: the colour's inputs}) of the subscriptions
        matching ``domain`` (record rules applied)."""
        query = self._search(domain, order="id")
        query.add_join("JOIN", "variant", "product_product", SQL("variant.id = isp_subscription.product_id"))
        query.add_join("JOIN", "template", "product_template", SQL("template.id = variant.product_tmpl_id"))
        sql = query.select(
            SQL(
                """isp_subscription.id, isp_subscription.latitude, isp_subscription.longitude, %s,
                   isp_subscription.state, COALESCE(isp_subscription.network_online, FALSE),
                   COALESCE(isp_subscription.fair_usage, FALSE), isp_subscription.partner_id,
                   isp_subscription.company_id, isp_subscription.date_start,
                   COALESCE(template.data_cap_gb, 0)""",
                self._map_group_sql(group_field),
            )
        )
        self.env.flush_all()
        self.env.cr.execute(sql)
        rows = self.env.cr.fetchall()
        return [row[:4] for row in rows], {row[0]: row[4:] for row in rows}

    def _map_colours(self, inputs):
        """id -> status colour (``grey`` for the hidden states) from the ``inputs`` of ``_map_points``:
        amounts due and usage are read only for those whose colour depends on them."""
        # active, online and not on fair usage: green or orange, depending on invoices and usage
        pending = {
            sid: values
            for sid, values in inputs.items()
            if values[0] == "active" and values[1] and not values[2]
        }
        due = self._map_amounts_due(list({values[3] for values in pending.values()}))
        capped = [
            {"id": sid, "state": values[0], "date_start": values[5]}
            for sid, values in pending.items()
            if values[6] and not due.get((values[3], values[4]), (0, False))[1]
        ]
        usage_gb = self._map_usage_gb(capped)
        colours = {}
        for sid, (state, online, fair_usage, partner_id, company_id, _start, cap) in inputs.items():
            overdue = due.get((partner_id, company_id), (0, False))[1] if sid in pending else False
            colour = status.status_colour(state, online, usage_gb.get(sid, 0.0), cap, fair_usage, overdue)
            colours[sid] = "grey" if colour == "hidden" else colour
        return colours

    def _map_currency(self):
        currency = self.env.company.currency_id
        return {"symbol": currency.symbol, "position": currency.position, "digits": currency.decimal_places}

    def _map_group_field(self, group_by):
        """The field of the search's first group-by, if the map can group by it (else None)."""
        if not group_by:
            return None
        name = (group_by[0] if isinstance(group_by, list | tuple) else group_by).split(":")[0]
        field = self._fields.get(name)
        if field and field.store and field.type in ("many2one", "selection", "boolean"):
            return field
        return None

    def _map_group_sql(self, field):
        if not field:
            return SQL("NULL")
        column = SQL.identifier("isp_subscription", field.name)
        return SQL("COALESCE(%s, FALSE)", column) if field.type == "boolean" else column

    def _map_groups(self, field, values):
        """[{value, label, count}] of the group ``values``, in the order of their labels."""
        counts = {}
        for value in values:
            counts[value] = counts.get(value, 0) + 1
        if field.type == "many2one":
            records = self.env[field.comodel_name].browse([value for value in counts if value])
            labels = {record.id: record.display_name for record in records}
        elif field.type == "selection":
            labels = dict(field._description_selection(self.env))
        else:
            labels = {True: self.env._("Yes"), False: self.env._("No")}
        groups = [
            {"value": value, "label": labels.get(value) or self.env._("None"), "count": count}
            for value, count in counts.items()
        ]
        return sorted(groups, key=lambda group: str(group["label"]))

    def _map_rows(self, domain):
        """One query: the subscriptions matching ``domain`` (record rules applied) with what the
        popup shows of their customer and plan."""
        query = self._search(domain, order="id")
        lang = self.env.lang or "en_US"
        query.add_join("JOIN", "partner", "res_partner", SQL("partner.id = isp_subscription.partner_id"))
        query.add_join("JOIN", "variant", "product_product", SQL("variant.id = isp_subscription.product_id"))
        query.add_join("JOIN", "template", "product_template", SQL("template.id = variant.product_tmpl_id"))
        sql = query.select(
            SQL(
                """isp_subscription.id, isp_subscription.name, isp_subscription.state,
                   isp_subscription.latitude, isp_subscription.longitude, isp_subscription.partner_id,
                   isp_subscription.company_id, isp_subscription.site_id, isp_subscription.date_start,
                   COALESCE(isp_subscription.fair_usage, FALSE) AS fair_usage,
                   COALESCE(isp_subscription.network_online, FALSE) AS online,
                   isp_subscription.network_last_seen AS last_seen,
                   partner.name AS customer,
                   COALESCE(template.name->>%s, template.name->>'en_US') AS plan,
                   template.data_cap_gb AS cap_gb""",
                lang,
            )
        )
        self.env.flush_all()
        self.env.cr.execute(sql)
        return self.env.cr.dictfetchall()

    def _map_amounts_due(self, partner_ids):
        """(partner id, company id) -> (amount due, has an overdue invoice), in one query over the
        customers' unpaid posted ISP invoices (as ``_compute_amount_due`` sums them)."""
        if not partner_ids:
            return {}
        today = fields.Date.context_today(self)
        self.env["account.move"].flush_model()
        self.env.cr.execute(
            """
            SELECT partner_id, company_id, SUM(amount_residual_signed), BOOL_OR(invoice_date_due < %s)
              FROM account_move
             WHERE partner_id = ANY(%s) AND company_id = ANY(%s) AND isp_invoice
               AND state = 'posted' AND payment_state IN ('not_paid', 'partial')
             GROUP BY partner_id, company_id
            """,
            [today, partner_ids, self.env.companies.ids],
        )
        return {
            (p, c): (float(amount or 0.0), bool(overdue)) for p, c, amount, overdue in self.env.cr.fetchall()
        }

    def _map_usage_gb(self, rows):
        """subscription id -> GB used in its current monthly usage period for ``rows`` (dicts with
        id, state, date_start), in one query whatever their number."""
        starts = {row["id"]: row["date_start"] for row in rows if row["state"] in ("active", "suspended")}
        return {
            sub_id: volume / usage.BYTES_PER_GB for sub_id, volume in self._usage_period_bytes(starts).items()
        }

    @api.model
    def get_far_customers(self, distance_m, domain=None):
        """Subscriptions (ids) matching ``domain`` farther than ``distance_m`` metres from every access
        point: candidates for a new tower."""
        self.env["isp.site"]._check_map_access()
        rows = self._map_rows([*(domain or []), ("state", "in", SHOWN_STATES), ("latitude", "!=", 0)])
        aps = self.env["isp.site"].search_fetch(
            [("site_type", "=", "access_point"), ("latitude", "!=", 0)], ["latitude", "longitude"]
        )
        points = {row["id"]: (row["latitude"], row["longitude"]) for row in rows}
        return sorted(geo.farther_than(points, [(ap.latitude, ap.longitude) for ap in aps], distance_m))

    # --- outage tool on a drawn area, routes through chosen customers -------------

    @api.model
    def _map_check_area(self, polygon):
        """The area ``polygon`` ([[lat, lng], ...] as drawn on the map) checked and unwrapped
        (``geo.parse_area``); a clear UserError when it cannot be used."""
        area, problem = geo.parse_area(polygon)
        if not problem:
            return area
        messages = {
            "not_a_list": self.env._("An area is a list of points [latitude, longitude]."),
            "not_a_point": self.env._("Each point of an area is a pair [latitude, longitude]."),
            "not_a_number": self.env._("The latitude and longitude of an area's points must be numbers."),
            "out_of_range": self.env._(
                "An area's latitudes must be between -90 and 90 and its longitudes between -180 and 180."
            ),
            "too_few": self.env._("An area needs at least 3 different points."),
            "too_many": self.env._(
                "An area may have at most %(count)s points: draw it with fewer.", count=geo.MAX_AREA_VERTICES
            ),
            "flat": self.env._("The area's points are on one line: it has no surface."),
            "wraps": self.env._("The area goes round a pole or half the globe: draw a smaller area."),
        }
        raise UserError(messages[problem])

    @api.model
    def _map_in_area(self, area):
        """Active and suspended subscriptions (record rules applied) located inside ``area``."""
        lat_min, lat_max, ranges = geo.area_bounds(area)
        lng_domain = [["&", ("longitude", ">=", low), ("longitude", "<=", high)] for low, high in ranges]
        domain = [
            ("state", "in", SHOWN_STATES),
            ("latitude", ">=", lat_min),
            ("latitude", "<=", lat_max),
            "|",
            ("latitude", "!=", 0),
            ("longitude", "!=", 0),
            *(["|", *lng_domain[0], *lng_domain[1]] if len(lng_domain) == 2 else lng_domain[0]),
        ]
        candidates = self.search_fetch(domain, ["latitude", "longitude"], order="id")
        points = {sub.id: (sub.latitude, sub.longitude) for sub in candidates}
        return self.browse(sorted(geo.points_in_area(points, area)))

    @api.model
    def get_area_outage(self, polygon, start_site_id=None):
        """The outage tool on an area drawn on the map: ``polygon`` is the list of its vertices
        [[lat, lng], ...] (at least 3, at most ``geo.MAX_AREA_VERTICES``; an area may cross the
        antimeridian). Returns the affected (active and suspended) subscriptions located inside:
        ``subscription_ids``, ``offline_count``, ``customers`` (the first ``AREA_LISTED`` of them:
        id, name, customer, online), ``site_ids`` (the sites serving them) and the repair ``route``
        through those sites from ``start_site_id`` (by default the company's first point of
        presence) with ``start_site_id``. Every ISP role may call it; nobody else."""
        self.env["isp.site"]._check_map_access()
        area = self._map_check_area(polygon)
        subscriptions = self._map_in_area(area)
        sites = subscriptions.site_id
        start, points = sites._plan_site_route(start_site_id)
        return {
            "subscription_ids": subscriptions.ids,
            "offline_count": len(subscriptions.filtered(lambda s: not s.network_online)),
            "customers": subscriptions._map_affected_list(),
            "site_ids": sites.ids,
            "start_site_id": start.id,
            "route": points,
        }

    @api.model
    def action_open_area_incident(self, polygon):
        """Open an outage incident for the customers in an area drawn on the map (``polygon`` as
        for :meth:`get_area_outage`) and return the action opening it. The helpdesk implements
        the incident (``isp.site._isp_mapping_open_incident``, with its rights); without it, this
        says so."""
        self.env["isp.site"]._check_map_access()
        subscriptions = self._map_in_area(self._map_check_area(polygon))
        if not subscriptions:
            raise UserError(self.env._("No customer is in this area."))
        result = self.env["isp.site"]._isp_mapping_open_incident(subscriptions)
        if not result:
            raise UserError(self.env._("Outage incidents need the ISP helpdesk addon."))
        return result

    def _map_affected_list(self):
        """The first ``AREA_LISTED`` of these subscriptions, as the outage panel lists them (id,
        name, customer, online), by customer; one query."""
        rows = self._map_rows([("id", "in", self.ids[:AREA_LISTED])]) if self else []
        return [
            {"id": row["id"], "name": row["name"], "customer": row["customer"], "online": row["online"]}
            for row in sorted(rows, key=lambda row: (row["customer"] or "", row["id"]))
        ]

    @api.model
    def _map_route_stops(self, subscription_ids):
        """The subscriptions ``subscription_ids`` (readable by the caller) to visit: those with
        coordinates; a UserError for none or too many."""
        if not isinstance(subscription_ids, list | tuple) or not all(
            isinstance(sid, int) and not isinstance(sid, bool) for sid in subscription_ids
        ):
            raise UserError(self.env._("A route goes through a list of subscriptions (their ids)."))
        ids = list(dict.fromkeys(subscription_ids))
        if not ids:
            raise UserError(self.env._("Pick at least one customer for the route."))
        if len(ids) > MAX_ROUTE_STOPS:
            raise UserError(
                self.env._(
                    "A route goes through at most %(max)s customers (%(count)s picked): split it.",
                    max=MAX_ROUTE_STOPS,
                    count=len(ids),
                )
            )
        subscriptions = self.search([("id", "in", ids)], order="id")
        if len(subscriptions) != len(ids):
            raise UserError(
                self.env._("Some of the picked subscriptions do not exist or are not yours to see.")
            )
        located = subscriptions.filtered(lambda s: s.latitude or s.longitude)
        if not located:
            raise UserError(self.env._("None of the picked customers has a location on the map."))
        return located, subscriptions - located

    @api.model
    def get_customer_route(self, subscription_ids, start_site_id=None):
        """The repair route through the customers of ``subscription_ids`` (at most
        ``MAX_ROUTE_STOPS``) from ``start_site_id`` (by default the company's first point of
        presence; without one, from the first customer), planned as the outage route is
        (``lib/route.py``). Returns ``start_site_id``, ``route`` (the start, then each stop: id,
        name, customer, address, phone, lat, lng, navigation_url), ``distance_km`` and
        ``skipped_ids`` (picked subscriptions without a location). Every ISP role may call it."""
        self.env["isp.site"]._check_map_access()
        located, skipped = self._map_route_stops(subscription_ids)
        start = self.env["isp.site"]._map_route_origin(start_site_id)
        stops = [(sub.latitude, sub.longitude) for sub in located]
        origin = (start.latitude, start.longitude) if start else stops[0]
        order = route.plan_route(origin, stops)
        points = []
        if start:
            points.append(
                {
                    "id": start.id,
                    "site_id": start.id,
                    "name": start.complete_name,
                    "lat": start.latitude,
                    "lng": start.longitude,
                }
            )
        for index in order:
            sub = located[index]
            partner = sub.partner_id
            points.append(
                {
                    "id": sub.id,
                    "subscription_id": sub.id,
                    "name": sub.name,
                    "customer": partner.name,
                    "address": self._map_address(partner),
                    "phone": partner.phone or partner.mobile or "",
                    "lat": sub.latitude,
                    "lng": sub.longitude,
                }
            )
        for point in points:
            point["navigation_url"] = route.navigation_url(point["lat"], point["lng"])
        return {
            "start_site_id": start.id,
            "route": points,
            "distance_km": round(route.path_length(origin, stops, order) / 1000.0, 1),
            "skipped_ids": skipped.ids,
        }

    @api.model
    def _map_address(self, partner):
        """The customer's address on one line (empty lines of the country's format left out)."""
        lines = (line.strip(" ,") for line in partner._display_address(without_company=True).splitlines())
        return ", ".join(line for line in lines if line)

    @api.model
    def action_print_customer_route(self, subscription_ids, start_site_id=None):
        """The printable repair route (QWeb report, PDF or HTML) through the customers of
        ``subscription_ids``, as ``get_customer_route`` plans it."""
        planned = self.get_customer_route(subscription_ids, start_site_id=start_site_id)
        points = planned["route"]
        start = None
        if planned["start_site_id"]:
            first = points.pop(0)
            start = {"name": first["name"], "latitude": first["lat"], "longitude": first["lng"]}
        stops = [
            {
                "name": point["customer"],
                "reference": point["name"],
                "subscription_id": point["subscription_id"],
                "address": point["address"],
                "phone": point["phone"],
                "latitude": point["lat"],
                "longitude": point["lng"],
            }
            for point in points
        ]
        return self.env["isp.map.route"]._print_route(
            self.env._("Route through %(count)s customers", count=len(stops)), stops, start=start
        )
