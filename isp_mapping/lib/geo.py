# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Great-circle distances, convex hulls and coverage on the WGS 84 sphere.

Points are ``(latitude, longitude)`` pairs in degrees. Distances are in metres on a
sphere of the Earth's mean radius: within 0.5 % of the ellipsoid, plenty for
choosing which tower a technician visits first.
"""

import math

EARTH_RADIUS_M = 6_371_008.8


def distance_m(a, b):
    """Great-circle distance in metres between points ``a`` and ``b`` (haversine)."""
    lat1, lng1 = map(math.radians, a)
    lat2, lng2 = map(math.radians, b)
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def convex_hull(points):
    """The convex hull of ``points`` (lat, lng), counter-clockwise in (lng, lat), without
    repeating the first point (Andrew's monotone chain). Fewer than 3 distinct points are
    returned as they are (a point or a segment): the affected area of one customer is a point.
    A flat projection is fine at the scale of a tower's customers (a few km)."""
    unique = sorted({(float(lat), float(lng)) for lat, lng in points}, key=lambda p: (p[1], p[0]))
    if len(unique) < 3:
        return unique
    # cross product of (a - o) and (b - o) in the (lng, lat) plane, inlined: this runs for
    # every customer of a down site
    lower, upper = [], []
    for p in unique:
        while len(lower) >= 2:
            o, a = lower[-2], lower[-1]
            if (a[1] - o[1]) * (p[0] - o[0]) - (a[0] - o[0]) * (p[1] - o[1]) > 0:
                break
            lower.pop()
        lower.append(p)
    for p in reversed(unique):
        while len(upper) >= 2:
            o, a = upper[-2], upper[-1]
            if (a[1] - o[1]) * (p[0] - o[0]) - (a[0] - o[0]) * (p[1] - o[1]) > 0:
                break
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def farther_than(points, access_points, distance):
    """Keys of ``points`` (a dict key -> (lat, lng)) that are more than ``distance`` metres
    from every point of ``access_points`` (an iterable of (lat, lng)); with no access point
    at all, every point is far. Candidates for a new tower.

    A bounding-box test in degrees skips the trigonometry for the access points that are
    obviously too far, so 50,000 customers against a few hundred APs stays fast."""
    aps = list(access_points)
    deg_lat = distance / 111_000.0
    far = []
    for key, point in points.items():
        lat, lng = point
        # the box's widest longitude span is at its latitude nearest a pole; near a pole, no box
        lat_max = min(abs(lat) + deg_lat, 90.0)
        deg_lng = 360.0 if lat_max >= 89.9 else deg_lat / math.cos(math.radians(lat_max))
        near = False
        for ap in aps:
            dlng = abs(ap[1] - lng) % 360
            if abs(ap[0] - lat) > deg_lat * 1.01 or min(dlng, 360 - dlng) > deg_lng * 1.01:
                continue
            if distance_m(point, ap) <= distance:
                near = True
                break
        if not near:
            far.append(key)
    return far


def within_radius(points, centre, radius):
    """Keys of ``points`` (key -> (lat, lng)) at most ``radius`` metres from ``centre``."""
    return [key for key, point in points.items() if distance_m(point, centre) <= radius]


def point_in_polygon(point, polygon):
    """True when ``point`` (lat, lng) is inside ``polygon`` (a list of (lat, lng)), by ray casting
    in the flat (lng, lat) plane; a point on an edge may go either way."""
    lat, lng = point
    inside = False
    n = len(polygon)
    for i in range(n):
        lat1, lng1 = polygon[i]
        lat2, lng2 = polygon[(i + 1) % n]
        if (lat1 > lat) != (lat2 > lat):
            cross_lng = lng1 + (lat - lat1) * (lng2 - lng1) / (lat2 - lat1)
            if lng < cross_lng:
                inside = not inside
    return inside


# --- areas drawn on the map ----------------------------------------------------

MAX_AREA_VERTICES = 200


def parse_area(coords, max_vertices=MAX_AREA_VERTICES):
    """Check an area drawn on the map: ``coords`` is a list of ``[lat, lng]`` in degrees
    (latitude in [-90, 90], longitude in [-180, 180]), in drawing order, closed or not.

    Returns ``(polygon, None)`` with the polygon ready for ``points_in_area`` (closing point
    and repeated vertices dropped, longitudes unwrapped so that no edge is longer than 180°:
    an area crossing the antimeridian keeps going past 180 instead of jumping back), or
    ``(None, problem)`` with ``problem`` one of ``not_a_list``, ``too_many``, ``not_a_point``,
    ``not_a_number``, ``out_of_range``, ``too_few`` (fewer than 3 distinct vertices), ``flat``
    (no surface) or ``wraps`` (goes round a pole, or an edge exactly 180° of longitude long,
    whose way round the globe is ambiguous)."""
    if not isinstance(coords, list | tuple):
        return None, "not_a_list"
    if len(coords) > max_vertices + 1:  # + 1: a closing point repeating the first
        return None, "too_many"
    points = []
    for item in coords:
        if not isinstance(item, list | tuple) or len(item) != 2:
            return None, "not_a_point"
        for value in item:
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                return None, "not_a_number"
        lat, lng = float(item[0]), float(item[1])
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lng <= 180.0):
            return None, "out_of_range"
        if not points or points[-1] != (lat, lng):
            points.append((lat, lng))
    while len(points) > 1 and points[-1] == points[0]:
        points.pop()
    if len(points) > max_vertices:
        return None, "too_many"
    if len(set(points)) < 3:
        return None, "too_few"
    polygon = unwrap_polygon(points)
    if polygon is None:
        return None, "wraps"
    if abs(signed_area(polygon)) < 1e-12:
        return None, "flat"
    return polygon, None


def unwrap_polygon(points):
    """``points`` (lat, lng) with each longitude moved by a multiple of 360 to the copy nearest
    the previous vertex, so each edge takes the short way (across the antimeridian if shorter).
    None when that is ambiguous (an edge exactly 180° long) or when the polygon does not close
    without going round the globe (it circles a pole)."""
    polygon = [points[0]]
    for lat, lng in [*points[1:], points[0]]:
        previous = polygon[-1][1]
        while lng - previous > 180.0:
            lng -= 360.0
        while lng - previous < -180.0:
            lng += 360.0
        if abs(lng - previous) == 180.0:
            return None
        polygon.append((lat, lng))
    closing = polygon.pop()
    if abs(closing[1] - points[0][1]) > 1e-9:
        return None
    lngs = [lng for _lat, lng in polygon]
    if max(lngs) - min(lngs) >= 360.0:
        return None
    return polygon


def signed_area(polygon):
    """Shoelace area of ``polygon`` (lat, lng) in square degrees, positive counter-clockwise in
    (lng, lat): zero for a flat polygon."""
    total = 0.0
    n = len(polygon)
    for i in range(n):
        lat1, lng1 = polygon[i]
        lat2, lng2 = polygon[(i + 1) % n]
        total += lng1 * lat2 - lng2 * lat1
    return total / 2.0


def area_bounds(polygon):
    """(lat min, lat max, [(lng min, lng max), ...]) of a polygon from ``parse_area``: the
    longitude ranges within [-180, 180] to search (two when the area crosses the antimeridian)."""
    lats = [lat for lat, _lng in polygon]
    lngs = [lng for _lat, lng in polygon]
    low, high = min(lngs), max(lngs)
    if low < -180.0:
        ranges = [(low + 360.0, 180.0), (-180.0, high)]
    elif high > 180.0:
        ranges = [(low, 180.0), (-180.0, high - 360.0)]
    else:
        ranges = [(low, high)]
    return min(lats), max(lats), ranges


def points_in_area(points, polygon):
    """Keys of ``points`` (key -> (lat, lng), longitudes in [-180, 180]) inside ``polygon`` (from
    ``parse_area``, whose longitudes may go past ±180 when it crosses the antimeridian)."""
    lats = [lat for lat, _lng in polygon]
    lngs = [lng for _lat, lng in polygon]
    lat_min, lat_max, lng_min, lng_max = min(lats), max(lats), min(lngs), max(lngs)
    inside = []
    for key, (lat, lng) in points.items():
        if not lat_min <= lat <= lat_max:
            continue
        # the copy of the point within the polygon's span (at most one: the span is under 360°)
        for shifted in (lng, lng + 360.0, lng - 360.0):
            if lng_min <= shifted <= lng_max:
                if point_in_polygon((lat, shifted), polygon):
                    inside.append(key)
                break
    return inside
