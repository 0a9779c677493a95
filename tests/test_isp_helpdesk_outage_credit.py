# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An outage cut at the billing periods' borders (isp_helpdesk.lib.outage_credit)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from isp_helpdesk.lib.outage_credit import outage_parts
from isp_subscription.lib import periods

ANCHOR = date(2026, 1, 1)


def monthly(day):
    return periods.period_containing(ANCHOR, "monthly", day)


def test_within_one_period():
    parts = outage_parts(datetime(2026, 11, 10, 8), datetime(2026, 11, 11, 14), monthly)
    assert parts == [(date(2026, 11, 1), date(2026, 11, 30), Decimal("1.25"))]


def test_across_a_period_border():
    parts = outage_parts(datetime(2026, 10, 31, 18), datetime(2026, 11, 1, 6), monthly)
    assert parts == [
        (date(2026, 10, 1), date(2026, 10, 31), Decimal("0.25")),
        (date(2026, 11, 1), date(2026, 11, 30), Decimal("0.25")),
    ]


def test_nothing_when_it_ends_before_it_starts():
    assert outage_parts(datetime(2026, 11, 2), datetime(2026, 11, 1), monthly) == []


@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31)),
    minutes=st.integers(min_value=1, max_value=200 * 24 * 60),
)
def test_parts_add_up_to_the_outage(start, minutes):
    start = start.replace(microsecond=0)
    end = start + timedelta(minutes=minutes)
    parts = outage_parts(start, end, monthly)
    total = sum(days for *_, days in parts) * 86400
    assert abs(total - Decimal((end - start).total_seconds())) < Decimal("1e-18")
    for period_start, period_end, days in parts:
        assert 0 < days <= periods.days_between(period_start, period_end)
