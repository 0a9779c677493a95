# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Billing rules of isp_subscription/lib: hand-computed examples and properties."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isp_subscription.lib import dunning, late_fee, periods, proration, usage
from isp_subscription.lib.money import round_money

IDR = Decimal(1)
CENT = Decimal("0.01")


# --- periods -----------------------------------------------------------------


def test_month_end_anchor_does_not_drift():
    anchor = date(2024, 1, 31)
    starts = [periods.period_bounds(anchor, "monthly", i)[0] for i in range(4)]
    assert starts == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]
    assert periods.period_bounds(anchor, "monthly", 0) == (date(2024, 1, 31), date(2024, 2, 28))


def test_quarterly_and_yearly_periods():
    assert periods.period_bounds(date(2026, 11, 15), "quarterly", 1) == (date(2027, 2, 15), date(2027, 5, 14))
    assert periods.period_bounds(date(2024, 2, 29), "yearly", 1) == (date(2025, 2, 28), date(2026, 2, 27))


@given(
    anchor=st.dates(date(2000, 1, 1), date(2090, 1, 1)),
    offset=st.integers(0, 4000),
    period=st.sampled_from(["monthly", "quarterly", "yearly"]),
)
def test_period_containing_a_day_contains_it(anchor, offset, period):
    day = anchor + timedelta(days=offset)
    start, end = periods.period_containing(anchor, period, day)
    assert start <= day <= end
    assert 28 <= periods.days_between(start, end) <= 366


# --- proration -----------------------------------------------------------------


def test_idr_start_mid_month():
    # 166,500 for November (30 days), service from the 16th: 15 days = 83,250
    charge = proration.period_charge(
        166500, date(2026, 11, 1), date(2026, 11, 30), "Home 10", active_from=date(2026, 11, 16), rounding=IDR
    )
    assert charge.amount == Decimal(83250)
    assert charge.quantity == Decimal(15) / 30
    assert (charge.date_from, charge.date_to) == (date(2026, 11, 16), date(2026, 11, 30))


def test_february_leap_year_termination():
    # 250,000 for February 2024 (29 days), terminated on the 10th: 10/29 -> 86,206.90
    charge = proration.period_charge(
        250000, date(2024, 2, 1), date(2024, 2, 29), "Home 20", active_to=date(2024, 2, 10), rounding=CENT
    )
    assert charge.amount == Decimal("86206.90")


def test_suspension_days_are_not_charged_unless_configured():
    args = (310000, date(2026, 12, 1), date(2026, 12, 31), "Plan")
    suspended = [(date(2026, 12, 11), date(2026, 12, 20))]  # 10 of 31 days
    charge = proration.period_charge(*args, suspended=suspended, rounding=IDR)
    assert charge.amount == Decimal(210000)
    assert charge.quantity == Decimal(21) / 31
    full = proration.period_charge(*args, suspended=suspended, charge_while_suspended=True, rounding=IDR)
    assert full.amount == Decimal(310000)


def test_fully_suspended_period_has_no_charge():
    assert (
        proration.period_charge(
            100, date(2026, 1, 1), date(2026, 1, 31), "P", suspended=[(date(2025, 12, 1), date(2026, 2, 1))]
        )
        is None
    )


def test_upgrade_now_downgrade_next_period():
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    up = proration.change_plan(166500, 450000, start, end, date(2026, 11, 21), rounding=IDR)
    # 10 days left of 30: credit 55,500 of the old plan, charge 150,000 of the new
    assert up == proration.PlanChange(date(2026, 11, 21), Decimal(55500), Decimal(150000))
    down = proration.change_plan(450000, 166500, start, end, date(2026, 11, 21), rounding=IDR)
    assert down == proration.PlanChange(date(2026, 12, 1), Decimal(0), Decimal(0))


def test_split_of_an_awkward_price_adds_up():
    # 100.00 over the 3 days of a 3-day period: 33.33 + 33.34 + 33.33
    start, end = date(2026, 1, 1), date(2026, 1, 3)
    assert [
        proration.part_amount(Decimal(100), start, end, day, day, CENT)
        for day in (start, start + timedelta(1), end)
    ] == [
        Decimal("33.33"),
        Decimal("33.34"),
        Decimal("33.33"),
    ]


@settings(max_examples=300)
@given(
    price=st.decimals(0, 10_000_000, places=2),
    period_days=st.integers(28, 366),
    cuts=st.lists(st.integers(1, 365), max_size=8),
    rounding=st.sampled_from([CENT, IDR, Decimal(100)]),
)
def test_parts_always_add_up_to_the_full_price(price, period_days, cuts, rounding):
    """However a period is cut (plan changes, suspensions), its parts as the invoicing run
    prices them (part_amount) add up to the full price, and none is negative."""
    points = sorted({c for c in cuts if c < period_days})
    start = date(2026, 1, 1)
    end = start + timedelta(days=period_days - 1)
    bounds = [0, *points, period_days]
    amounts = [
        proration.part_amount(
            price, start, end, start + timedelta(days=a), start + timedelta(days=b - 1), rounding
        )
        for a, b in pairwise(bounds)
    ]
    assert sum(amounts) == round_money(price, rounding)
    assert all(a >= 0 for a in amounts)


@settings(max_examples=200)
@given(
    old=st.integers(1, 5_000_000),
    new=st.integers(1, 5_000_000),
    start=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    offset=st.integers(0, 30),
)
def test_upgrade_credit_plus_used_part_is_the_old_price(old, new, start, offset):
    end = periods.period_bounds(start, "monthly", 0)[1]
    change_day = min(start + timedelta(days=offset), end)
    change = proration.change_plan(old, new, start, end, change_day, IDR)
    if new > old:
        used = proration.part_amount(old, start, end, start, change_day - timedelta(days=1), IDR)
        assert used + change.credit == old
        assert change.charge >= change.credit >= 0
    else:
        assert change.effective_date == end + timedelta(days=1)


# --- usage -----------------------------------------------------------------------


def test_overage_is_charged_per_started_hundredth_of_a_gb():
    gb = usage.BYTES_PER_GB
    assert usage.overage_gb(300 * gb, 300) == 0
    assert not usage.is_over_cap(300 * gb, 300)
    assert usage.is_over_cap(300 * gb + 1, 300)
    assert usage.overage_gb(300 * gb + 1, 300) == Decimal("0.01")
    assert usage.overage_gb(312_345_000_000, 300) == Decimal("12.35")
    assert usage.overage_gb(10**15, 0) == 0, "no cap, no overage"
    charge = usage.data_overage_charge(
        312_345_000_000, 300, 2500, date(2026, 11, 1), date(2026, 11, 30), rounding=IDR
    )
    assert charge.amount == Decimal(30875)
    assert charge.description == "Data overage 2026-11-01 to 2026-11-30: 12.35 GB"


def test_extra_session_time_per_started_increment():
    assert usage.extra_hours(30 * 3600, 30) == 0
    assert usage.extra_hours(30 * 3600 + 1, 30) == 1
    assert usage.extra_hours(31 * 3600 + 1, 30, increment_minutes=15) == Decimal("1.25")
    assert usage.extra_hours(10**9, 0) == 0, "unlimited"
    charge = usage.time_overage_charge(
        32 * 3600 + 60, 30, 2000, date(2026, 11, 1), date(2026, 11, 30), rounding=IDR
    )
    assert charge.amount == Decimal(6000)
    assert charge.description.endswith(": 3 h")


@given(
    volume=st.integers(0, 10**13),
    cap=st.integers(0, 5000),
    price=st.decimals(0, 100_000, places=2),
    seconds=st.integers(0, 10**7),
    hours=st.integers(0, 1000),
)
def test_overage_charges_are_their_quantity_at_their_price(volume, cap, price, seconds, hours):
    """What the invoicing run puts on a line: the quantity of overage_gb/extra_hours at the
    plan's price, and an amount that is their product rounded."""
    first, last = date(2026, 11, 1), date(2026, 11, 30)
    data = usage.data_overage_charge(volume, cap, price, first, last, rounding=IDR)
    if usage.overage_gb(volume, cap):
        assert (data.quantity, data.unit_price) == (usage.overage_gb(volume, cap), price)
        assert data.amount == round_money(data.quantity * price, IDR)
    else:
        assert data is None
    time = usage.time_overage_charge(seconds, hours, price, first, last, rounding=IDR)
    if usage.extra_hours(seconds, hours):
        assert (time.quantity, time.unit_price) == (usage.extra_hours(seconds, hours), price)
    else:
        assert time is None


@given(a=st.integers(0, 10**13), b=st.integers(0, 10**13), cap=st.integers(0, 5000))
def test_overage_grows_with_usage(a, b, cap):
    low, high = sorted((a, b))
    assert usage.overage_gb(low, cap) <= usage.overage_gb(high, cap)


# --- late fees ---------------------------------------------------------------------


def test_late_fee_fixed_percent_and_bounds():
    policy = late_fee.LateFeePolicy(
        fixed=Decimal(5000), percent=Decimal(2), minimum=Decimal(10000), maximum=Decimal(50000)
    )
    assert late_fee.late_fee(policy, 166500, IDR) == Decimal(10000)  # 5,000 + 3,330 < minimum
    assert late_fee.late_fee(policy, 1_500_000, IDR) == Decimal(35000)
    assert late_fee.late_fee(policy, 5_000_000, IDR) == Decimal(50000)
    assert late_fee.late_fee(policy, 0, IDR) == 0, "nothing overdue, no fee"


def test_late_fee_policy_is_validated():
    with pytest.raises(ValueError, match="negative"):
        late_fee.LateFeePolicy(fixed=Decimal(-1))
    with pytest.raises(ValueError, match="minimum is above"):
        late_fee.LateFeePolicy(minimum=Decimal(10), maximum=Decimal(5))


# --- dunning -------------------------------------------------------------------------

POLICY = [
    dunning.Step(1, "reminder_email"),
    dunning.Step(3, "sms"),
    dunning.Step(7, "late_fee"),
    dunning.Step(10, "suspend"),
    dunning.Step(40, "terminate"),
]
DUE = date(2026, 11, 10)


def test_steps_come_in_order_and_once():
    assert dunning.steps_due(POLICY, DUE, DUE) == []
    assert dunning.steps_due(POLICY, DUE, DUE + timedelta(days=3)) == POLICY[:2]
    assert dunning.steps_due(POLICY, DUE, DUE + timedelta(days=3), done=POLICY[:1]) == POLICY[1:2]
    assert dunning.steps_due(POLICY, DUE, DUE + timedelta(days=12), done=POLICY[:3]) == [POLICY[3]]


def test_catch_up_never_terminates_without_suspending_first():
    due = dunning.steps_due(POLICY, DUE, DUE + timedelta(days=60))
    assert [s.action for s in due] == ["reminder_email", "sms", "late_fee", "suspend"]
    assert dunning.steps_due(POLICY, DUE, DUE + timedelta(days=60), done=due) == [POLICY[4]]


def test_paid_invoices_get_nothing():
    assert dunning.steps_due(POLICY, DUE, DUE + timedelta(days=60), paid=True) == []


@pytest.mark.parametrize(
    "steps, message",
    [
        ([dunning.Step(1, "fax")], "unknown dunning action"),
        ([dunning.Step(-1, "sms")], "before the due date"),
        ([dunning.Step(1, "sms"), dunning.Step(1, "sms")], "twice"),
        ([dunning.Step(5, "terminate")], "after a suspension"),
        ([dunning.Step(9, "suspend"), dunning.Step(5, "terminate")], "after a suspension"),
        ([dunning.Step(5, "suspend"), dunning.Step(9, "suspend")], "only once"),
    ],
)
def test_bad_policies_are_refused(steps, message):
    with pytest.raises(ValueError, match=message):
        dunning.validate_policy(steps)


@given(
    today_offset=st.integers(-10, 100),
    done_mask=st.lists(st.booleans(), min_size=5, max_size=5),
    paid=st.booleans(),
)
def test_dunning_never_repeats_and_never_acts_on_paid(today_offset, done_mask, paid):
    done = [step for step, is_done in zip(POLICY, done_mask, strict=True) if is_done]
    due = dunning.steps_due(POLICY, DUE, DUE + timedelta(days=today_offset), done=done, paid=paid)
    assert not (paid and due)
    assert not set(due) & set(done)
    assert sum(1 for s in due if s.action in dunning.DISCONNECTING) <= 1
    assert all(s.days_after_due <= today_offset for s in due)
