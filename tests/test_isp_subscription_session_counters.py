# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Accounting rows to usage deltas (isp_subscription.lib.session_counters): each byte counted once."""

from hypothesis import given
from hypothesis import strategies as st

from isp_subscription.lib.session_counters import Counters, Delta, delta

GIGAWORD = 2**32


def test_first_sight_counts_from_zero():
    change, remembered = delta(None, Counters(input_octets=10, output_octets=300, session_time=60))
    assert change == Delta(bytes_down=300, bytes_up=10, seconds=60)
    assert remembered == Counters(10, 300, 60)


def test_interim_update_counts_the_difference_beyond_a_gigaword():
    first = Counters(100, 4000, 60)
    second = Counters(GIGAWORD + 150, 2 * GIGAWORD + 5000, 660)
    change, _ = delta(first, second)
    assert change == Delta(bytes_down=2 * GIGAWORD + 1000, bytes_up=GIGAWORD + 50, seconds=600)


def test_replay_counts_nothing():
    seen = Counters(100, 4000, 60)
    change, remembered = delta(seen, Counters(100, 4000, 60))
    assert not change
    assert remembered == seen


def test_late_update_is_ignored_and_the_next_counts_from_the_newest():
    newest = Counters(500, 9000, 900)
    change, remembered = delta(newest, Counters(300, 6000, 600))
    assert not change
    assert remembered == newest
    change, _ = delta(remembered, Counters(700, 9500, 1200))
    assert change == Delta(bytes_down=500, bytes_up=200, seconds=300)


def test_same_time_with_lower_counters_is_late_not_a_restart():
    change, _ = delta(Counters(500, 9000, 900), Counters(400, 9000, 900))
    assert not change


def test_counter_restart_counts_the_new_value():
    change, remembered = delta(Counters(5000, 90000, 900), Counters(100, 2000, 960))
    assert change == Delta(bytes_down=2000, bytes_up=100, seconds=60)
    assert remembered == Counters(100, 2000, 960)


counters = st.tuples(
    st.integers(0, 10**6), st.integers(0, 10**6), st.integers(1, 600)
)  # increments of upload, download, seconds


@given(
    increments=st.lists(counters, min_size=1, max_size=30),
    deliveries=st.lists(st.tuples(st.integers(0, 29), st.booleans()), max_size=60),
)
def test_any_delivery_order_counts_each_byte_once(increments, deliveries):
    """Updates delivered late, twice or never: the total never exceeds the truth, and
    the last update, once it arrives, brings the total to exactly the truth."""
    updates = []
    up = down = seconds = 0
    for du, dd, ds in increments:
        up, down, seconds = up + du, down + dd, seconds + ds
        updates.append(Counters(up, down, seconds))
    remembered = None
    total = Delta(0, 0, 0)
    for index, _replay in deliveries:
        change, remembered = delta(remembered, updates[index % len(updates)])
        total = Delta(
            total.bytes_down + change.bytes_down,
            total.bytes_up + change.bytes_up,
            total.seconds + change.seconds,
        )
        assert total.bytes_down <= down and total.bytes_up <= up and total.seconds <= seconds
    change, remembered = delta(remembered, updates[-1])
    total = Delta(
        total.bytes_down + change.bytes_down, total.bytes_up + change.bytes_up, total.seconds + change.seconds
    )
    assert total == Delta(down, up, seconds)
