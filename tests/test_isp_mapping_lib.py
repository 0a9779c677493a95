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
