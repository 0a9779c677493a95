# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from hypothesis import given
from hypothesis import strategies as st

from isp_subscription.lib.churn_risk import Signals, assess, level, usage_drop

GB = 10**9


def codes(risk):
    return [reason.code for reason in risk.reasons]


def test_a_quiet_customer_has_no_risk():
    risk = assess(Signals(usage_now=50 * GB, usage_before=(48 * GB, 52 * GB, 50 * GB), tickets=0))
    assert (risk.score, risk.level, risk.reasons) == (0, "none", ())


def test_falling_usage_by_tiers():
    before = (40 * GB, 40 * GB, 40 * GB)
    assert assess(Signals(usage_now=31 * GB, usage_before=before)).score == 0  # -22 %
    assert assess(Signals(usage_now=30 * GB, usage_before=before)).score == 10  # -25 %
    assert assess(Signals(usage_now=20 * GB, usage_before=before)).score == 20  # -50 %
    risk = assess(Signals(usage_now=4 * GB, usage_before=before))
    assert risk.score == 30
    assert risk.reasons[0].values == {"percent": 90, "now_gb": 4.0, "before_gb": 40.0}


def test_usage_needs_something_to_compare_with():
    assert usage_drop(0, ()) is None
    assert usage_drop(0, (0.5 * GB, 0.2 * GB)) is None, "too little usage to compare"
    assert usage_drop(0, (3 * GB,)) == 1.0, "one earlier window is enough"
    assert usage_drop(60 * GB, (30 * GB,)) == 0.0, "rising usage is no drop"


def test_tickets_only_when_repeated_and_only_with_a_helpdesk():
    assert assess(Signals(tickets=1)).score == 0
    assert assess(Signals(tickets=2)).score == 16
    assert assess(Signals(tickets=9)).score == 25
    assert assess(Signals(tickets=None)).reasons == ()


def test_payments_and_outages():
    risk = assess(Signals(late_payments=2, overdue_invoices=1, debt_suspensions=1, incidents=2))
    assert codes(risk) == ["overdue", "late_payments", "debt_suspensions", "incidents"]
    assert [reason.points for reason in risk.reasons] == [10, 10, 10, 10]
    assert (risk.score, risk.level) == (40, "medium")
    assert assess(Signals(late_payments=10)).score == 15
    assert assess(Signals(overdue_invoices=5)).score == 20
    assert assess(Signals(debt_suspensions=4)).score == 20
    assert assess(Signals(incidents=10)).score == 15


def test_everything_at_once_is_high_and_capped():
    risk = assess(
        Signals(
            usage_now=0,
            usage_before=(50 * GB,),
            tickets=5,
            late_payments=5,
            overdue_invoices=3,
            debt_suspensions=3,
            incidents=5,
        )
    )
    assert risk.score == 100
    assert risk.level == "high"
    assert codes(risk)[0] == "usage_drop"


def test_levels():
    assert [level(score) for score in (0, 1, 24, 25, 49, 50, 100)] == [
        "none",
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]


counts = st.integers(min_value=0, max_value=50)


@given(
    usage_now=st.floats(min_value=0, max_value=1e13),
    usage_before=st.lists(st.floats(min_value=0, max_value=1e13), max_size=3),
    tickets=st.none() | counts,
    late=counts,
    overdue=counts,
    suspensions=counts,
    incidents=st.none() | counts,
)
def test_the_score_is_the_sum_of_its_reasons_within_0_and_100(
    usage_now, usage_before, tickets, late, overdue, suspensions, incidents
):
    risk = assess(Signals(usage_now, tuple(usage_before), tickets, late, overdue, suspensions, incidents))
    assert 0 <= risk.score <= 100
    assert risk.score == min(100, sum(reason.points for reason in risk.reasons))
    assert all(reason.points > 0 for reason in risk.reasons)
    assert risk.level == level(risk.score)


@given(st.floats(min_value=0, max_value=1e12), st.floats(min_value=1e9, max_value=1e12))
def test_less_usage_never_lowers_the_risk(now, before):
    lower = assess(Signals(usage_now=now * 0.5, usage_before=(before,)))
    higher = assess(Signals(usage_now=now, usage_before=(before,)))
    assert lower.score >= higher.score
