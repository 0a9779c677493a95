# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Plan timelines and credentials: plain rules, no Odoo."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from isp_subscription.lib import credentials, proration

START = date(2026, 1, 31)
days = st.integers(min_value=0, max_value=400).map(lambda n: START + timedelta(days=n))


@st.composite
def timelines(draw):
    changes = sorted(set(draw(st.lists(days, max_size=6))) - {START})
    plans = draw(st.lists(st.sampled_from("ABC"), min_size=len(changes) + 1, max_size=len(changes) + 1))
    return [(START, plans[0]), *list(zip(changes, plans[1:], strict=True))]


@given(timelines(), days, days)
def test_segments_cover_every_day_once_with_its_plan(timeline, a, b):
    first, last = min(a, b), max(a, b)
    segments = proration.plan_segments(timeline, first, last)
    covered = []
    for seg_first, seg_last, plan in segments:
        assert seg_first <= seg_last
        day = seg_first
        while day <= seg_last:
            assert proration.plan_on(timeline, day) == plan
            covered.append(day)
            day += timedelta(days=1)
    assert covered == [first + timedelta(days=n) for n in range((last - first).days + 1)]


@given(timelines())
def test_a_whole_period_costs_each_plan_for_its_days(timeline):
    prices = {"A": Decimal(99000), "B": Decimal(166500), "C": Decimal(450000)}
    period_start, period_end = date(2026, 2, 28), date(2026, 3, 30)
    total = sum(
        proration.part_amount(prices[plan], period_start, period_end, first, last, Decimal(1))
        for first, last, plan in proration.plan_segments(timeline, period_start, period_end)
    )
    exact = sum(prices[proration.plan_on(timeline, period_start + timedelta(days=n))] / 31 for n in range(31))
    segments = len(proration.plan_segments(timeline, period_start, period_end))
    assert abs(total - exact) <= segments


def test_credentials_the_network_authenticates():
    assert credentials.normalize_username("  6281234567890\t") == "6281234567890"
    for good in ("6281234567890", "budi.santoso@wifi-yogya", "C000123-2", "a" * 64):
        assert credentials.username_problem(good) is None
    assert credentials.username_problem("") == "empty"
    assert credentials.username_problem("a" * 65) == "too_long"
    assert credentials.username_problem("budi santoso") == "whitespace"
    assert credentials.username_problem("bu\u00a0di") == "whitespace"
    assert credentials.username_problem("búdi") == "not_ascii"
    for quoted in ("budi'", 'bu"di', "bu`di", "bu\\di"):
        assert credentials.username_problem(quoted) == "forbidden"
    assert credentials.password_problem("p" * 128) is None
    assert credentials.password_problem("p" * 129) == "too_long"
    assert credentials.password_problem("pässword") == "not_ascii"
