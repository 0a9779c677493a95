# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The repair route: which place a technician visits first, second, ...

An open path from a start point through every stop (no return to the start), as short as
we can make it without an outside routing service: nearest neighbour, then 2-opt (reverse
a stretch of the path while that shortens it). Distances are great-circle metres, so the
order is right for a crow; roads follow the same order well enough for a few towers.
Up to ``EXACT_STOPS`` stops the shortest path is found exactly (Held-Karp dynamic programming,
checked against every order by the tests); beyond, the heuristic is never worse than nearest
neighbour alone.
"""

from .geo import distance_m

EXACT_STOPS = 9


def path_length(start, stops, order, distance=distance_m):
    """Length of the path from ``start`` through ``stops`` in ``order`` (indexes)."""
    total = 0.0
    here = start
    for index in order:
        total += distance(here, stops[index])
        here = stops[index]
    return total


def nearest_neighbour(start, stops, distance=distance_m):
    """Order (list of indexes of ``stops``) going each time to the nearest stop not yet visited;
    ties go to the lowest index, so the result is deterministic."""
    left = list(range(len(stops)))
    order = []
    here = start
    while left:
        best = min(left, key=lambda i: (distance(here, stops[i]), i))
        left.remove(best)
        order.append(best)
        here = stops[best]
    return order


def two_opt(start, stops, order, distance=distance_m):
    """Improve ``order`` by 2-opt moves until none shortens the path; never longer than ``order``."""
    points = [start] + [stops[i] for i in order]
    idx = [None, *order]
    n = len(points)
    improved = True
    while improved:
        improved = False
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                # reverse points[i..j]: edges (i-1,i) and (j,j+1) become (i-1,j) and (i,j+1)
                before = distance(points[i - 1], points[i])
                after = distance(points[i - 1], points[j])
                if j + 1 < n:
                    before += distance(points[j], points[j + 1])
                    after += distance(points[i], points[j + 1])
                if after < before - 1e-9:
                    points[i : j + 1] = reversed(points[i : j + 1])
                    idx[i : j + 1] = reversed(idx[i : j + 1])
                    improved = True
    return idx[1:]


def or_opt(start, stops, order, distance=distance_m):
    """Move single stops to a better place while that shortens the path (helps 2-opt on open paths)."""
    order = list(order)
    best = path_length(start, stops, order, distance)
    improved = True
    while improved:
        improved = False
        for i in range(len(order)):
            for j in range(len(order)):
                if i == j:
                    continue
                candidate = order[:i] + order[i + 1 :]
                candidate.insert(j, order[i])
                length = path_length(start, stops, candidate, distance)
                if length < best - 1e-9:
                    order, best, improved = candidate, length, True
                    break
            if improved:
                break
    return order


def shortest_path(start, stops, distance=distance_m):
    """The exact shortest open path from ``start`` through every stop (Held-Karp, O(2^n n^2)):
    for a handful of stops only."""
    n = len(stops)
    if n == 0:
        return []
    # best[(mask, last)] = (length, previous) of the shortest path from start visiting mask, ending at last
    best = {(1 << i, i): (distance(start, stops[i]), None) for i in range(n)}
    for mask in range(1, 1 << n):
        for last in range(n):
            if (mask, last) not in best:
                continue
            length = best[(mask, last)][0]
            for nxt in range(n):
                if mask & (1 << nxt):
                    continue
                key = (mask | (1 << nxt), nxt)
                candidate = length + distance(stops[last], stops[nxt])
                if key not in best or candidate < best[key][0] - 1e-9:
                    best[key] = (candidate, last)
    full = (1 << n) - 1
    last = min(range(n), key=lambda i: (best[(full, i)][0], i))
    order, mask = [], full
    while last is not None:
        order.append(last)
        previous = best[(mask, last)][1]
        mask &= ~(1 << last)
        last = previous
    return order[::-1]


def plan_route(start, stops, distance=distance_m):
    """The order of visits (indexes of ``stops``) from ``start``: exact for up to
    ``EXACT_STOPS`` stops, otherwise nearest neighbour then 2-opt and single-stop moves
    until neither helps."""
    if len(stops) <= EXACT_STOPS:
        return shortest_path(start, stops, distance)
    return heuristic_route(start, stops, distance)


def heuristic_route(start, stops, distance=distance_m):
    """Nearest neighbour improved by 2-opt and single-stop moves: never longer than nearest neighbour."""
    order = nearest_neighbour(start, stops, distance)
    length = path_length(start, stops, order, distance)
    while True:
        order = or_opt(start, stops, two_opt(start, stops, order, distance), distance)
        new_length = path_length(start, stops, order, distance)
        if new_length >= length - 1e-9:
            return order
        length = new_length


def navigation_url(lat, lng):
    """A link that opens the directions to (lat, lng) in the phone's navigation app (or a browser)."""
    return f"https://www.google.com/maps/dir/?api=1&destination={float(lat)!r},{float(lng)!r}"
