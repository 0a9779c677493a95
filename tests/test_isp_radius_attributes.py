# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""What FreeRADIUS's tables hold for a subscription (isp_radius.lib.attributes)."""

import pytest

from isp_radius.lib import attributes as attrs


def test_active_user_gets_password_speed_and_group():
    rows = attrs.user_rows("active", "pw", rate_limit="5M/10M", simultaneous_use=1)
    assert rows.check == {("Cleartext-Password", ":=", "pw"), ("Simultaneous-Use", ":=", "1")}
    assert rows.reply == {("Mikrotik-Rate-Limit", ":=", "5M/10M")}
    assert rows.groups == {("isp_active", 1)}


def test_static_ip_wins_over_the_pool():
    rows = attrs.user_rows("active", "pw", rate_limit="1M/2M", static_ip="10.9.0.7", pool="customers")
    assert ("Framed-IP-Address", ":=", "10.9.0.7") in rows.reply
    assert not any(row[0] == "Framed-Pool" for row in rows.reply)
    pooled = attrs.user_rows("active", "pw", pool="customers")
    assert pooled.reply == {("Framed-Pool", ":=", "customers")}


def test_fair_usage_and_suspended_groups():
    fair = attrs.user_rows("fair_usage", "pw", rate_limit="1M/2M")
    assert fair.groups == {("isp_fair_usage", 1)}
    assert ("Mikrotik-Rate-Limit", ":=", "1M/2M") in fair.reply
    suspended = attrs.user_rows("suspended", "pw", rate_limit="1M/2M", static_ip="10.9.0.7")
    assert suspended.groups == {("isp_suspended", 1)}
    assert not suspended.reply, "the suspended group decides what a suspended user gets"
    assert ("Cleartext-Password", ":=", "pw") in suspended.check


@pytest.mark.parametrize("state", ["none", "terminated"])
def test_no_user_for_drafts_and_terminated(state):
    assert not attrs.user_rows(state, "pw", rate_limit="1M/2M")


def test_a_user_needs_a_password():
    with pytest.raises(ValueError):
        attrs.user_rows("active", "", rate_limit="1M/2M")


def test_no_simultaneous_use_limit():
    rows = attrs.user_rows("active", "pw", simultaneous_use=0)
    assert rows.check == {("Cleartext-Password", ":=", "pw")}


def test_suspended_group_rejects_or_walls():
    groups = attrs.group_rows("reject", reject_message="Pay first")
    assert groups["isp_suspended"] == (
        {("Auth-Type", ":=", "Reject")},
        {("Reply-Message", ":=", "Pay first")},
    )
    assert groups["isp_active"] == (set(), set())
    walled = attrs.group_rows("walled_garden", walled_garden_address_list="unpaid")
    assert walled["isp_suspended"] == (set(), {("Mikrotik-Address-List", ":=", "unpaid")})
    with pytest.raises(ValueError):
        attrs.group_rows("walled_garden")
    with pytest.raises(ValueError):
        attrs.group_rows("bounce")


def test_changes_repair_drift_and_are_idempotent():
    desired = attrs.user_rows("active", "pw", rate_limit="5M/10M").reply
    current = {("Mikrotik-Rate-Limit", ":=", "1M/1M"), ("Session-Timeout", ":=", "60")}
    delete, insert = attrs.changes(current, desired)
    assert delete == current
    assert insert == desired
    assert attrs.changes(desired, desired) == (set(), set())
    assert attrs.reply_changed(current, desired)
    assert not attrs.reply_changed(desired | {("Framed-Pool", ":=", "x")}, desired)


def test_paying_users_get_their_address_list_when_one_is_given():
    groups = attrs.group_rows(
        "walled_garden", walled_garden_address_list="unpaid", active_address_list="paid"
    )
    assert groups["isp_active"] == (set(), {("Mikrotik-Address-List", ":=", "paid")})
    assert groups["isp_fair_usage"] == (set(), {("Mikrotik-Address-List", ":=", "paid")})
    assert groups["isp_suspended"] == (set(), {("Mikrotik-Address-List", ":=", "unpaid")})
    assert attrs.group_rows("reject")["isp_active"] == (set(), set())


@pytest.mark.parametrize(
    ("mode", "before", "state", "leaves"),
    [
        ("walled_garden", {("isp_suspended", 1)}, "active", True),
        ("walled_garden", {("isp_suspended", 1)}, "fair_usage", True),
        ("walled_garden", {("isp_suspended", 1)}, "suspended", False),
        ("walled_garden", {("isp_suspended", 1)}, "terminated", False),
        ("walled_garden", {("isp_active", 1)}, "fair_usage", False),
        ("walled_garden", set(), "active", False),
        ("reject", {("isp_suspended", 1)}, "active", False),
    ],
)
def test_leaving_the_walled_garden(mode, before, state, leaves):
    desired = attrs.user_rows(state, "pw", rate_limit="1M/2M")
    assert attrs.leaves_walled_garden(mode, attrs.Groups(), before, desired) is leaves
