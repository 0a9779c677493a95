# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_base.lib.column_limits import INT4_MAX, INT4_MIN, fits_int4, out_of_int4_range


def test_limits_are_postgresql_int4():
    assert INT4_MAX == 2_147_483_647
    assert INT4_MIN == -2_147_483_648


@pytest.mark.parametrize(
    "value",
    [0, 1, -1, INT4_MAX, INT4_MIN, False, None, True, "", 300.0, "2147483647", 2_147_483_647.9],
)
def test_values_that_fit(value):
    assert fits_int4(value)


@pytest.mark.parametrize(
    "value",
    [INT4_MAX + 1, INT4_MIN - 1, 3_000_000_000, 3e9, -3e9, "3000000000", math.inf, -math.inf],
)
def test_values_that_overflow(value):
    assert not fits_int4(value)


@pytest.mark.parametrize("value", ["abc", [], {}, math.nan])
def test_what_is_not_a_number_is_left_to_odoo(value):
    assert fits_int4(value)


@given(st.integers())
def test_any_integer_fits_exactly_within_the_range(number):
    assert fits_int4(number) == (INT4_MIN <= number <= INT4_MAX)


def test_out_of_range_names_in_the_given_order():
    values = {"data_cap_gb": 3_000_000_000, "download_kbps": 10_000, "burst_time": -(2**40), "name": "x"}
    assert out_of_int4_range(values, ["burst_time", "download_kbps", "data_cap_gb", "missing"]) == [
        "burst_time",
        "data_cap_gb",
    ]
    assert out_of_int4_range({}, ["data_cap_gb"]) == []
