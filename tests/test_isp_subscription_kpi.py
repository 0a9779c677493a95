# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_subscription.lib import kpi

money = st.floats(min_value=0, max_value=10**9, allow_nan=False)


def test_monthly_amount_by_billing_period():
    assert kpi.monthly_amount(150000) == 150000
    assert kpi.monthly_amount(300000, "quarterly") == 100000
    assert kpi.monthly_amount(1200000, "yearly") == 100000
    assert kpi.monthly_amount(None, None) == 0


@pytest.mark.parametrize(
    ("previous", "current", "before", "expected"),
    [
        (0, 100, False, kpi.NEW),
        (0, 100, True, kpi.REACTIVATION),
        (100, 0, False, kpi.CHURN),
        (100, 0, True, kpi.CHURN),
        (100, 250, True, kpi.UPGRADE),
        (250, 100, True, kpi.DOWNGRADE),
        (100, 100, True, kpi.NONE),
        (0, 0, True, kpi.NONE),
        (None, None, False, kpi.NONE),
    ],
)
def test_movement(previous, current, before, expected):
    assert kpi.movement(previous, current, before) == expected


def test_movement_amounts_are_signed():
    assert kpi.movement_amounts(0, 100) == {kpi.NEW: 100}
    assert kpi.movement_amounts(100, 0, True) == {kpi.CHURN: -100}
    assert kpi.movement_amounts(250, 100, True) == {kpi.DOWNGRADE: -150}
    assert kpi.movement_amounts(100, 100, True) == {}


@given(st.lists(money, min_size=1, max_size=12))
def test_movements_add_up_to_the_mrr_change(series):
    """Month after month, the sum of the movements is the last MRR: nothing is lost."""
    total, previous, had = 0.0, 0.0, False
    for mrr in series:
        total += sum(kpi.movement_amounts(previous, mrr, had).values())
        had = had or previous > 0
        previous = mrr
    assert total == pytest.approx(series[-1], abs=1e-6)


def test_arpu_and_churn_rate():
    assert kpi.arpu(450000, 3) == 150000
    assert kpi.arpu(450000, 0) == 0
    assert kpi.churn_rate(1, 4) == 25.0
    assert kpi.churn_rate(3, 0) == 0


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "0_30"),
        (30, "0_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "90_plus"),
        (400, "90_plus"),
    ],
)
def test_aging_buckets(days, bucket):
    assert kpi.aging_bucket(days) == bucket
    assert bucket in kpi.AGING_BUCKETS


def test_average_rate_and_contention():
    # 10.8 GB in a day is an average of 1 Mbit/s
    assert kpi.average_mbps(10.8 * 10**9) == pytest.approx(1.0)
    assert kpi.contention_ratio(2000, 100) == 20
    assert kpi.contention_ratio(2000, 0) == 0
