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
