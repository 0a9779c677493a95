# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""isp_mapping/lib: distances, hulls, far customers, the colour rule and the repair route."""

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isp_mapping.lib import geo, route, status

JOGJA = (-7.7956, 110.3695)
SOLO = (-7.5755, 110.8243)


# --- distances ---------------------------------------------------------------


def test_distance_known_cities():
    # Yogyakarta - Surakarta: about 56 km as the crow flies
    assert 55_000 < geo.distance_m(JOGJA, SOLO) < 57_000
    # a quarter of the equator
    assert geo.distance_m((0, 0), (0, 90)) == pytest.approx(math.pi / 2 * geo.EARTH_RADIUS_M)
    assert geo.distance_m(JOGJA, JOGJA) == 0


def test_distance_across_the_antimeridian_and_poles():
    assert geo.distance_m((0, 179.5), (0, -179.5)) == pytest.approx(geo.distance_m((0, 0), (0, 1)))
    assert geo.distance_m((90, 0), (90, 120)) == pytest.approx(0, abs=1e-6)


coordinate = st.tuples(st.floats(-89, 89), st.floats(-180, 180))


@given(coordinate, coordinate, coordinate)
def test_distance_is_a_metric(a, b, c):
    assert geo.distance_m(a, b) == pytest.approx(geo.distance_m(b, a))
    assert geo.distance_m(a, c) <= geo.distance_m(a, b) + geo.distance_m(b, c) + 1e-6


# --- hull and area selections -----------------------------------------------


def test_convex_hull_drops_inner_points():
    square = [(0, 0), (0, 1), (1, 1), (1, 0)]
    hull = geo.convex_hull([*square, (0.5, 0.5), (0.2, 0.7), (0, 0)])
    assert sorted(hull) == sorted(square)


def test_convex_hull_of_one_or_two_customers():
    assert geo.convex_hull([JOGJA, JOGJA]) == [JOGJA]
    assert len(geo.convex_hull([JOGJA, SOLO])) == 2
    assert geo.convex_hull([]) == []


@given(st.lists(st.tuples(st.floats(-10, 10), st.floats(100, 120)), min_size=3, max_size=40))
def test_hull_contains_every_point(points):
    hull = geo.convex_hull(points)
    if len(hull) < 3:
        return
    for p in points:
        if p in hull:
            continue
        # inside or on an edge: on the left of (or on) every counter-clockwise edge
        for a, b in zip(hull, hull[1:] + hull[:1], strict=True):
            cross = (b[1] - a[1]) * (p[0] - a[0]) - (b[0] - a[0]) * (p[1] - a[1])
            assert cross >= -1e-9


def test_customers_farther_than_a_distance_from_any_access_point():
    aps = [JOGJA]
    customers = {"near": (-7.80, 110.37), "edge": (-7.7956, 110.40), "far": SOLO}
    assert geo.farther_than(customers, aps, 5_000) == ["far"]
    assert sorted(geo.farther_than(customers, aps, 1_000)) == ["edge", "far"]
    assert sorted(geo.farther_than(customers, [], 1_000)) == ["edge", "far", "near"]
    assert geo.farther_than(customers, [JOGJA, SOLO], 5_000) == []


@settings(max_examples=50)
@given(
    st.dictionaries(st.integers(0, 50), coordinate, max_size=20),
    st.lists(coordinate, max_size=6),
    st.floats(10, 500_000),
)
def test_far_customers_match_the_plain_definition(customers, aps, distance):
    expected = [k for k, p in customers.items() if all(geo.distance_m(p, ap) > distance for ap in aps)]
    assert sorted(geo.farther_than(customers, aps, distance)) == sorted(expected)


def test_far_customers_across_the_antimeridian():
    # found by hypothesis: the bounding box must wrap around longitude 180
    assert geo.farther_than({0: (0.0, -180.0)}, [(0.0, 179.0)], 111_196.0) == []
    assert geo.farther_than({0: (0.0, -180.0)}, [(0.0, 179.0)], 111_000.0) == [0]
    # near a pole, longitudes are close together whatever their difference
    assert geo.farther_than({0: (89.5, 0.0)}, [(89.5, 180.0)], 120_000.0) == []


def test_within_radius_and_polygon():
    points = {1: (-7.80, 110.37), 2: SOLO}
    assert geo.within_radius(points, JOGJA, 2_000) == [1]
    polygon = [(-7.9, 110.3), (-7.9, 110.5), (-7.7, 110.5), (-7.7, 110.3)]
    assert geo.point_in_polygon(points[1], polygon)
    assert not geo.point_in_polygon(SOLO, polygon)


# --- the colour rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "colour"),
    [
        ({"state": "active", "online": True}, "green"),
        ({"state": "active", "online": True, "usage_gb": 239, "cap_gb": 300}, "green"),
        ({"state": "active", "online": True, "usage_gb": 240, "cap_gb": 300}, "orange"),
        ({"state": "active", "online": True, "usage_gb": 5000, "cap_gb": 0}, "green"),
        ({"state": "active", "online": True, "fair_usage": True}, "orange"),
        ({"state": "active", "online": True, "overdue": True}, "orange"),
        ({"state": "active", "online": False}, "red"),
        ({"state": "active", "online": False, "overdue": True}, "red"),
        ({"state": "suspended", "online": True}, "red"),
        ({"state": "suspended", "online": False}, "red"),
        ({"state": "draft", "online": False}, "hidden"),
        ({"state": "terminated", "online": True}, "hidden"),
    ],
)
def test_status_colour(kwargs, colour):
    assert status.status_colour(**kwargs) == colour


# --- the repair route ---------------------------------------------------------


def brute_force(start, stops):
    return min(route.path_length(start, stops, order) for order in itertools.permutations(range(len(stops))))


jogja_area = st.tuples(st.floats(-8.1, -7.5), st.floats(110.0, 110.8))


@settings(max_examples=60, deadline=None)
@given(jogja_area, st.lists(jogja_area, max_size=8))
def test_route_is_optimal_up_to_eight_stops(start, stops):
    order = route.plan_route(start, stops)
    assert sorted(order) == list(range(len(stops)))
    if stops:
        assert route.path_length(start, stops, order) == pytest.approx(brute_force(start, stops), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(jogja_area, st.lists(jogja_area, min_size=1, max_size=40))
def test_heuristic_never_worse_than_nearest_neighbour(start, stops):
    nn = route.nearest_neighbour(start, stops)
    for order in (route.heuristic_route(start, stops), route.plan_route(start, stops)):
        assert sorted(order) == list(range(len(stops)))
        assert route.path_length(start, stops, order) <= route.path_length(start, stops, nn) + 1e-6


def test_heuristic_fixes_nearest_neighbour_on_a_road():
    # stops along one road: nearest neighbour zigzags (0 then 4, 2, 1 and back east to 3);
    # the improved route goes east first, then all the way west
    start = (0.0, 0.0)
    stops = [(0.0, 0.009), (0.0, -0.047), (0.0, -0.026), (0.0, 0.03), (0.0, -0.009)]
    assert route.nearest_neighbour(start, stops) == [0, 4, 2, 1, 3]
    best = brute_force(start, stops)
    assert route.path_length(start, stops, route.nearest_neighbour(start, stops)) > best * 1.3
    for order in (route.heuristic_route(start, stops), route.plan_route(start, stops)):
        assert route.path_length(start, stops, order) == pytest.approx(best)


def test_route_of_nothing_and_one_stop():
    assert route.plan_route(JOGJA, []) == []
    assert route.plan_route(JOGJA, [SOLO]) == [0]
    assert route.heuristic_route(JOGJA, []) == []


def test_route_of_many_stops_is_fast_and_complete():
    import random
    import time

    rng = random.Random(15)
    stops = [(rng.uniform(-8.1, -7.5), rng.uniform(110.0, 110.8)) for _ in range(60)]
    began = time.perf_counter()
    order = route.plan_route(JOGJA, stops)
    assert sorted(order) == list(range(60))
    assert time.perf_counter() - began < 10


# --- areas drawn on the map --------------------------------------------------

SQUARE = [[-7.70, 110.30], [-7.70, 110.40], [-7.80, 110.40], [-7.80, 110.30]]


def test_parse_area_accepts_a_drawn_square_closed_or_not():
    polygon, problem = geo.parse_area(SQUARE)
    assert problem is None
    assert polygon == [tuple(p) for p in SQUARE]
    closed, problem = geo.parse_area([*SQUARE, SQUARE[0]])
    assert problem is None and closed == polygon
    # a double click adds the last vertex twice: it counts once
    doubled, problem = geo.parse_area([*SQUARE, SQUARE[-1]])
    assert problem is None and doubled == polygon


@pytest.mark.parametrize(
    ("coords", "problem"),
    [
        (None, "not_a_list"),
        ("-7.7,110.3", "not_a_list"),
        ([], "too_few"),
        ([[0, 0], [0, 1]], "too_few"),
        ([[0, 0], [0, 1], [0, 0], [0, 1]], "too_few"),
        ([[0, 0], [0, 1], [1]], "not_a_point"),
        ([[0, 0], [0, 1], {"lat": 1, "lng": 1}], "not_a_point"),
        ([[0, 0], [0, 1], ["1", 1]], "not_a_number"),
        ([[0, 0], [0, 1], [True, 1]], "not_a_number"),
        ([[0, 0], [0, 1], [float("nan"), 1]], "not_a_number"),
        ([[0, 0], [0, 1], [1, float("inf")]], "not_a_number"),
        ([[0, 0], [0, 1], [91, 1]], "out_of_range"),
        ([[0, 0], [0, 1], [1, 180.5]], "out_of_range"),
        ([[0, 0], [0, 1], [0, 2]], "flat"),
        ([[0, 0], [0, 180], [1, 90]], "wraps"),
        # round the north pole: each edge is short, the ring does not close
        ([[80, 0], [80, 120], [80, -120]], "wraps"),
    ],
)
def test_parse_area_refuses(coords, problem):
    assert geo.parse_area(coords) == (None, problem)


def test_parse_area_bounds_the_vertices():
    ring = [[math.sin(i / 50 * math.pi), math.cos(i / 50 * math.pi)] for i in range(100)]
    assert geo.parse_area(ring, max_vertices=100)[1] is None
    assert geo.parse_area(ring, max_vertices=99) == (None, "too_many")
    assert geo.parse_area(ring * 20)[1] == "too_many"


def test_area_selects_the_points_inside():
    polygon, _problem = geo.parse_area(SQUARE)
    points = {"in": (-7.75, 110.35), "out": (-7.75, 110.45), "north": (-7.6, 110.35)}
    assert geo.points_in_area(points, polygon) == ["in"]
    assert geo.area_bounds(polygon) == (-7.8, -7.7, [(110.3, 110.4)])


def test_area_across_the_antimeridian():
    # Fiji: from 179 E to 179 W, as a user draws it on a wrapped map
    drawn = [[-16, 179], [-16, -179], [-18, -179], [-18, 179]]
    polygon, problem = geo.parse_area(drawn)
    assert problem is None
    assert [lng for _lat, lng in polygon] == [179, 181, 181, 179]
    points = {"east": (-17, 179.5), "west": (-17, -179.5), "far": (-17, 0), "outside": (-17, 178)}
    assert sorted(geo.points_in_area(points, polygon)) == ["east", "west"]
    lat_min, lat_max, ranges = geo.area_bounds(polygon)
    assert (lat_min, lat_max) == (-18, -16)
    assert ranges == [(179, 180), (-180, -179)]
    # the same area drawn from the west side
    polygon, _problem = geo.parse_area([[-16, -179], [-18, -179], [-18, 179], [-16, 179]])
    assert sorted(geo.points_in_area(points, polygon)) == ["east", "west"]
    assert geo.area_bounds(polygon)[2] == [(179, 180), (-180, -179)]


rectangle = st.tuples(st.floats(-80, 79), st.floats(0.01, 10), st.floats(-180, 179.99), st.floats(0.01, 50))


@given(rectangle, st.lists(coordinate, max_size=30))
def test_area_matches_a_plain_rectangle_test(rect, customers):
    """A rectangle drawn anywhere (across the antimeridian too) selects the points a plain
    latitude / longitude-interval test selects."""
    lat, height, lng, width = rect
    east = lng + width
    wrap = lambda x: (x + 180) % 360 - 180  # noqa: E731
    drawn = [[lat, lng], [lat, wrap(east)], [lat + height, wrap(east)], [lat + height, lng]]
    polygon, problem = geo.parse_area(drawn)
    assert problem is None
    points = dict(enumerate(customers))
    strict = {
        key
        for key, (plat, plng) in points.items()
        if lat + 1e-6 < plat < lat + height - 1e-6 and 1e-6 < (plng - lng) % 360 < width - 1e-6
    }
    loose = {
        key
        for key, (plat, plng) in points.items()
        if lat - 1e-6 <= plat <= lat + height + 1e-6 and (plng - lng + 1e-6) % 360 <= width + 2e-6
    }
    found = set(geo.points_in_area(points, polygon))
    assert strict <= found <= loose


def test_navigation_url():
    assert (
        route.navigation_url(-7.75, 110.4) == "https://www.google.com/maps/dir/?api=1&destination=-7.75,110.4"
    )
