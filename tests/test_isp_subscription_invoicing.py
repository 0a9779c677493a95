# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The invoicing schedule of isp_subscription/lib/invoicing.py: examples and properties."""

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from isp_subscription.lib import invoicing


def terms(**values):
    return invoicing.Terms(**{"anchor": date(2026, 10, 1), "period": "monthly", "prepaid": False, **values})


def bill(current, day):
    """Invoice ``current`` on ``day``: what was due and the terms afterwards."""
    due = invoicing.due_parts(current, day)
    return due, replace(current, billed_until=due.billed_until, usage_billed_until=due.usage_billed_until)


def test_postpaid_invoiced_after_the_period():
    current = terms()
    assert invoicing.next_invoice_date(current) == date(2026, 11, 1)
    assert not invoicing.due_parts(current, date(2026, 10, 31))
    due, current = bill(current, date(2026, 11, 1))
    assert [(p.first, p.last) for p in due.parts] == [(date(2026, 10, 1), date(2026, 10, 31))]
    assert due.usage_periods == [(date(2026, 10, 1), date(2026, 10, 31))]
    assert invoicing.next_invoice_date(current) == date(2026, 12, 1)


def test_prepaid_invoiced_on_the_first_day_usage_after():
    current = terms(prepaid=True)
    due, current = bill(current, date(2026, 10, 1))
    assert [(p.first, p.last) for p in due.parts] == [(date(2026, 10, 1), date(2026, 10, 31))]
    assert due.usage_periods == []
    due, current = bill(current, date(2026, 11, 1))
    assert due.usage_periods == [(date(2026, 10, 1), date(2026, 10, 31))]


def test_catching_up_invoices_every_missed_period_once():
    due, _current = bill(terms(), date(2027, 1, 15))
    assert [p.first for p in due.parts] == [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]


def test_termination_ends_billing_and_credits_prepaid_days():
    current = terms(prepaid=True, billed_until=date(2026, 10, 31), date_end=date(2026, 10, 20))
    [credit] = invoicing.termination_credits(current)
    assert (credit.first, credit.last) == (date(2026, 10, 21), date(2026, 10, 31))
    postpaid = terms(date_end=date(2026, 10, 20))
    assert invoicing.next_invoice_date(postpaid) == date(2026, 10, 21)
    due, postpaid = bill(postpaid, date(2026, 10, 21))
    assert [(p.first, p.last) for p in due.parts] == [(date(2026, 10, 1), date(2026, 10, 20))]
    assert invoicing.next_invoice_date(postpaid) is None


def test_suspended_prepaid_resumes_on_reconnection():
    current = terms(prepaid=True, billed_until=date(2026, 10, 31), suspended_now=True)
    assert not invoicing.due_parts(current, date(2026, 11, 15)).parts
    resumed = replace(
        current, suspended_now=False, billed_until=invoicing.resume_prepaid(current, date(2026, 11, 16))
    )
    due = invoicing.due_parts(resumed, date(2026, 11, 16))
    assert [(p.first, p.last) for p in due.parts] == [(date(2026, 11, 16), date(2026, 11, 30))]


@settings(max_examples=300)
@given(
    anchor=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    period=st.sampled_from(["monthly", "quarterly", "yearly"]),
    prepaid=st.booleans(),
    gaps=st.lists(st.integers(0, 120), min_size=1, max_size=12),
    end_after=st.one_of(st.none(), st.integers(0, 900)),
)
def test_runs_cover_each_day_once_and_a_rerun_adds_nothing(anchor, period, prepaid, gaps, end_after):
    date_end = anchor + timedelta(days=end_after) if end_after is not None else None
    current = invoicing.Terms(anchor=anchor, period=period, prepaid=prepaid, date_end=date_end)
    day, billed, rated = anchor, [], []
    for gap in gaps:
        day += timedelta(days=gap)
        due, current = bill(current, day)
        billed += [(p.first, p.last) for p in due.parts]
        rated += due.usage_periods
        assert not invoicing.due_parts(current, day), "a second run on the same day finds nothing"
        next_day = invoicing.next_invoice_date(current)
        assert next_day is None or next_day > day
    for days in (billed, rated):
        for (_, last), (first, _) in pairwise(days):
            assert first == last + timedelta(days=1), "contiguous, no day twice, no day skipped"
        if days:
            assert days[0][0] == anchor
            assert all(first <= last for first, last in days)
            if date_end:
                assert days[-1][1] <= date_end
    for _first, last in rated:
        assert last < day, "usage is rated once its period is over"
