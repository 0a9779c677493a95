# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The situation an agent sees first on a ticket, and its headline (isp_helpdesk.lib.context)."""

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from isp_helpdesk.lib import context
from isp_helpdesk.lib.context import Facts

NOW = datetime(2026, 11, 30, 12, 0)


def test_healthy_when_active_online_paid_and_under_the_cap():
    facts = Facts(state="active", online=True, last_seen=NOW, usage_gb=10, cap_gb=100)
    assert context.situation(facts) == context.HEALTHY
    assert context.headline(facts, NOW) == (context.H_HEALTHY_ONLINE, {})


def test_never_seen_is_healthy_not_offline():
    # No network addon reports sessions: nothing is known to be down.
    facts = Facts(state="active")
    assert context.situation(facts) == context.HEALTHY
    assert context.headline(facts, NOW)[0] == context.H_HEALTHY_UNKNOWN


def test_offline_since_last_seen():
    seen = NOW - timedelta(hours=2, minutes=5)
    facts = Facts(state="active", online=False, last_seen=seen)
    assert context.situation(facts) == context.OFFLINE
    assert context.headline(facts, NOW) == (context.H_OFFLINE, {"since": seen, "minutes": 125})


def test_fair_usage_before_offline():
    facts = Facts(
        state="active", fair_usage=True, usage_gb=312.345, cap_gb=300, last_seen=NOW - timedelta(days=1)
    )
    assert context.situation(facts) == context.FAIR_USAGE
    key, params = context.headline(facts, NOW)
    assert key == context.H_FAIR_USAGE
    assert params == {"usage": 312.3, "cap": 300, "percent": 104.1}


def test_overdue_before_fair_usage():
    facts = Facts(state="active", fair_usage=True, amount_overdue=166500.0, oldest_due=date(2026, 11, 1))
    assert context.situation(facts) == context.OVERDUE
    assert context.headline(facts, NOW) == (context.H_OVERDUE, {"amount": 166500.0, "due": date(2026, 11, 1)})


def test_suspended_for_debt_says_since_when_and_how_much():
    facts = Facts(
        state="suspended",
        suspended_for_debt=True,
        suspension_reason="Unpaid invoice INV/2026/0001",
        suspended_since=date(2026, 11, 20),
        amount_overdue=184815.0,
        oldest_due=date(2026, 11, 5),
    )
    assert context.situation(facts) == context.SUSPENDED
    assert context.headline(facts, NOW) == (
        context.H_SUSPENDED_DEBT,
        {"since": date(2026, 11, 20), "amount": 184815.0, "due": date(2026, 11, 5)},
    )


def test_suspended_on_request_gives_the_reason():
    facts = Facts(
        state="suspended", suspension_reason="Customer travelling", suspended_since=date(2026, 11, 2)
    )
    assert context.headline(facts, NOW) == (
        context.H_SUSPENDED_REASON,
        {"since": date(2026, 11, 2), "reason": "Customer travelling"},
    )
    assert context.headline(Facts(state="suspended"), NOW) == (context.H_SUSPENDED, {"since": None})


def test_suspended_for_debt_already_paid_gives_the_reason():
    # Paid, the reconnection not yet done: no "overdue" sentence with a zero amount.
    facts = Facts(
        state="suspended",
        suspended_for_debt=True,
        suspension_reason="Unpaid",
        suspended_since=date(2026, 11, 2),
    )
    assert context.headline(facts, NOW) == (
        context.H_SUSPENDED_REASON,
        {"since": date(2026, 11, 2), "reason": "Unpaid"},
    )


def test_no_service():
    assert context.headline(Facts(state=None), NOW) == (context.H_NO_SUBSCRIPTION, {})
    assert context.headline(Facts(state="draft"), NOW) == (context.H_DRAFT, {})
    ended = Facts(state="terminated", date_end=date(2026, 10, 31), amount_overdue=5.0)
    assert context.situation(ended) == context.NO_SERVICE
    assert context.headline(ended, NOW) == (context.H_TERMINATED, {"date": date(2026, 10, 31)})


def test_usage_percent_and_durations():
    assert context.usage_percent(150, 300) == 50.0
    assert context.usage_percent(150, 0) == 0.0
    assert context.usage_percent(-3, 300) == 0.0
    assert context.offline_minutes(None, NOW) == 0
    assert context.offline_minutes(NOW + timedelta(minutes=5), NOW) == 0
    assert context.format_duration(24 * 60 + 3 * 60 + 5) == (1, 3, 5)


states = st.sampled_from(["draft", "active", "suspended", "terminated", None])


@given(
    state=states,
    debt=st.booleans(),
    overdue=st.floats(min_value=0, max_value=1e9, allow_nan=False),
    fair=st.booleans(),
    online=st.booleans(),
    seen=st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
)
def test_one_situation_by_priority(state, debt, overdue, fair, online, seen):
    """Exactly one situation, and a more pressing fact always wins over a lesser one."""
    last_seen = NOW - timedelta(minutes=seen) if seen is not None else None
    facts = Facts(
        state=state,
        suspended_for_debt=debt,
        amount_overdue=overdue,
        fair_usage=fair,
        online=online,
        last_seen=last_seen,
    )
    found = context.situation(facts)
    assert found in context.SITUATIONS
    if state == "suspended":
        assert found == context.SUSPENDED
    elif state == "active" and overdue > 0:
        assert found == context.OVERDUE
    elif state == "active" and fair:
        assert found == context.FAIR_USAGE
    elif state == "active":
        assert found == (context.OFFLINE if not online and last_seen else context.HEALTHY)
    key, params = context.headline(facts, NOW)
    assert isinstance(key, str) and isinstance(params, dict)
