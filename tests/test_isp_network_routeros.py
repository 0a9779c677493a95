# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""What a MikroTik router holds for a subscription (isp_network.lib.routeros)."""

import pytest
from librouteros.protocol import parse_word

from isp_network.lib import routeros as ros

ROUTER = ros.Router(profile="pppoe-customers", suspended_list="unpaid")


def sub(state="active", **values):
    defaults = {"id": 7, "username": "c000007", "password": "pw", "rate_limit": "5M/10M 10M/20M 4M/8M 8/8"}
    return ros.Subscription(network_state=state, **{**defaults, **values})


def client(word_values):
    """Values as ``librouteros`` returns the words RouterOS sent (ints, booleans, strings)."""
    return {key: parse_word(f"={key}={value}")[1] for key, value in word_values.items()}


def as_read(items):
    """Items as RouterOS prints them back (ids, rates in bit/s, burst times in s, booleans
    true/false), then as the client reads them."""
    read = {}
    for number, (menu, values) in enumerate(items.items(), start=1):
        item = {".id": f"*{number}", **values}
        for key in ("max-limit", "burst-limit", "burst-threshold"):
            if key in item:
                item[key] = "/".join(str(ros.bits(p)) for p in item[key].split("/"))
        if "burst-time" in item:
            item["burst-time"] = "/".join(f"{ros.seconds(p)}s" for p in item["burst-time"].split("/"))
        if "disabled" in item:
            item["disabled"] = "true" if item["disabled"] == "yes" else "false"
        read[menu] = [client(item)]
    return read


def test_active_subscription_items():
    items = ros.desired_items(sub(), ROUTER)
    assert items[ros.SECRET] == {
        "name": "c000007",
        "password": "pw",
        "service": "pppoe",
        "profile": "pppoe-customers",
        "disabled": "no",
        "comment": "odoo:7",
    }
    assert items[ros.QUEUE]["max-limit"] == "5M/10M"
    assert items[ros.QUEUE]["target"] == "<pppoe-c000007>"
    assert ros.ADDRESS_LIST not in items


def test_suspended_static_subscription_is_listed_and_disabled():
    items = ros.desired_items(sub("suspended", static_ip="10.1.2.3"), ROUTER)
    assert items[ros.SECRET]["disabled"] == "yes"
    assert items[ros.SECRET]["remote-address"] == "10.1.2.3"
    assert items[ros.QUEUE]["target"] == "10.1.2.3"
    assert items[ros.ADDRESS_LIST] == {
        "list": "unpaid",
        "address": "10.1.2.3",
        "disabled": "no",
        "comment": "odoo:7",
    }


def test_terminated_and_draft_hold_nothing():
    assert ros.desired_items(sub("terminated"), ROUTER) == {}
    assert ros.desired_items(sub("none"), ROUTER) == {}


def test_plan_adds_then_is_idempotent_against_what_the_router_prints():
    desired = ros.desired_items(sub(static_ip="10.1.2.3"), ROUTER)
    steps = ros.plan(7, {}, desired)
    assert [(s.menu, s.action) for s in steps] == [(ros.SECRET, "add"), (ros.QUEUE, "add")]
    assert ros.plan(7, as_read(desired), desired) == []


def test_plan_repairs_drift_and_removes_duplicates_and_leftovers():
    desired = ros.desired_items(sub(), ROUTER)
    current = as_read(desired)
    current[ros.QUEUE][0]["max-limit"] = "1000000/1000000"
    current[ros.SECRET].append({".id": "*9", "name": "c000007", "comment": "odoo:7"})
    current[ros.ADDRESS_LIST] = [{".id": "*5", "list": "unpaid", "address": "10.9.9.9", "comment": "odoo:7"}]
    steps = {(s.menu, s.action, s.item_id) for s in ros.plan(7, current, desired)}
    assert steps == {
        (ros.QUEUE, "set", "*2"),
        (ros.SECRET, "remove", "*9"),
        (ros.ADDRESS_LIST, "remove", "*5"),
    }


def test_describe_never_shows_the_password():
    (add, *_rest) = ros.plan(7, {}, ros.desired_items(sub(password="hunter2"), ROUTER))
    assert "hunter2" not in ros.describe(add)
    change = ros.Step(ros.SECRET, "set", "c000007", {"password": "hunter2"}, "*1", {"password": "old"})
    assert "hunter2" not in ros.describe(change) and "old" not in ros.describe(change)


def test_group_items_by_comment_or_user_name():
    items = [
        {".id": "*1", "name": "c000007", "comment": "odoo:7"},
        {".id": "*2", "name": "c000008"},
        {".id": "*3", "name": "router-admin"},
        {".id": "*4", "name": "x", "comment": "odoo:notanumber"},
        {".id": "*5", "name": 6281234567890},  # as librouteros reads a numeric name
    ]
    desired = {
        8: ros.desired_items(sub(id=8, username="c000008"), ROUTER),
        9: ros.desired_items(sub(id=9, username="6281234567890"), ROUTER),
    }
    keys = ros.desired_keys(desired)
    grouped = ros.group_items(ros.SECRET, items, keys)
    assert grouped == {7: [items[0]], 8: [items[1]], 9: [items[4]]}
    assert ros.bits("10M") == 10_000_000 and ros.bits("512k") == 512_000


def test_printed_gives_back_the_word_whatever_the_client_made_of_it():
    for word in ("6281234567890", "0812345", "-5", "1_000", "c000007", "", "*1A", "10000000/20000000"):
        assert ros.printed(parse_word(f"=name={word}")[1]) == word
    # librouteros makes one boolean of yes and true: they compare as RouterOS prints booleans.
    assert ros.printed(parse_word("=password=yes")[1]) == ros.printed("yes") == "true"
    assert ros.printed(parse_word("=disabled=false")[1]) == ros.printed("no") == "false"
    assert ros.printed(None) == ""


def test_numeric_username_and_boolean_password_read_back_need_no_change():
    """The client returns 6281234567890 as an int and the password yes as True."""
    desired = ros.desired_items(sub(username="6281234567890", password="yes"), ROUTER)
    current = as_read(desired)
    assert isinstance(current[ros.SECRET][0]["name"], int)
    assert current[ros.SECRET][0]["password"] is True
    assert ros.plan(7, current, desired) == []
    # Not marked yet (made by the operator): adopted, never added again.
    del current[ros.SECRET][0]["comment"]
    (step,) = ros.plan(7, current, desired)
    assert (step.menu, step.action, step.values) == (ros.SECRET, "set", {"comment": "odoo:7"})


def test_queue_keeps_the_plans_burst_as_routeros_prints_it():
    limits = ros.queue_limits("5M/10M 10M/20M 4M/8M 8/8")
    assert limits == {
        "max-limit": "5M/10M",
        "burst-limit": "10M/20M",
        "burst-threshold": "4M/8M",
        "burst-time": "8s/8s",
    }
    assert ros.desired_items(sub(), ROUTER)[ros.QUEUE].items() >= limits.items()
    no_burst = ros.queue_limits("2M/4M")
    assert no_burst == {
        "max-limit": "2M/4M",
        "burst-limit": "0/0",
        "burst-threshold": "0/0",
        "burst-time": "0s/0s",
    }
    assert ros.queue_limits("5M/10M 10M/20M")["burst-threshold"] == "5M/10M"
    # Read back in bit/s and seconds: nothing to change; a burst edited on the router is put back.
    desired = ros.desired_items(sub(), ROUTER)
    current = as_read(desired)
    assert current[ros.QUEUE][0]["burst-time"] == "8s/8s"
    assert ros.plan(7, current, desired) == []
    current[ros.QUEUE][0]["burst-limit"] = "0/0"
    (step,) = ros.plan(7, current, desired)
    assert (step.action, step.values) == ("set", {"burst-limit": "10M/20M"})


def test_unmarked_items_are_adopted_never_removed():
    desired = ros.desired_items(sub("suspended", static_ip="10.1.2.3"), ROUTER)
    operator_entry = {".id": "*7", "list": "unpaid", "address": "10.1.2.3", "disabled": "false"}
    steps = ros.plan(7, {ros.ADDRESS_LIST: [client(operator_entry)]}, desired)
    adopt = [s for s in steps if s.menu == ros.ADDRESS_LIST]
    assert [(s.action, s.item_id, s.values) for s in adopt] == [("set", "*7", {"comment": "odoo:7"})]
    # Nothing wanted (a draft, a terminated subscription): only our own items go.
    current = {
        ros.SECRET: [client({".id": "*1", "name": "gita", "password": "noc"})],
        ros.QUEUE: [client({".id": "*2", "name": "gita", "comment": "odoo:7"})],
        ros.ADDRESS_LIST: [client(operator_entry)],
    }
    steps = ros.plan(7, current, ros.desired_items(sub("none", username="gita"), ROUTER))
    assert [(s.menu, s.action, s.item_id) for s in steps] == [(ros.QUEUE, "remove", "*2")]


def test_our_old_items_are_removed_before_the_kept_one_changes():
    desired = ros.desired_items(sub(username="new-name"), ROUTER)
    current = {
        ros.SECRET: [
            client({".id": "*1", "name": "old-name", "comment": "odoo:7"}),
            client({".id": "*2", "name": "new-name", "password": "x"}),
        ]
    }
    steps = [s for s in ros.plan(7, current, desired) if s.menu == ros.SECRET]
    assert [(s.action, s.item_id) for s in steps] == [("remove", "*1"), ("set", "*2")]


@pytest.mark.parametrize("state", ["active", "fair_usage", "suspended"])
def test_a_hotspot_plan_gets_a_hotspot_user_with_the_routers_profile(state):
    hotspot = ros.Router(profile="pppoe-customers", suspended_list="unpaid", hotspot_profile="hs-10M")
    items = ros.desired_items(sub(state, service="hotspot"), hotspot)
    assert set(items) == {ros.HOTSPOT_USER}
    assert items[ros.HOTSPOT_USER] == {
        "name": "c000007",
        "password": "pw",
        "profile": "hs-10M",
        "disabled": "yes" if state == "suspended" else "no",
        "comment": "odoo:7",
    }
    # A router without a hotspot user profile provisions no hotspot users at all.
    assert not ROUTER.serves(sub(service="hotspot"))
    assert ros.desired_items(sub(state, service="hotspot"), ROUTER) == {}


def test_durations():
    assert ros.seconds("1w2d3h4m5s") == 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5
    assert ros.seconds("0s") == 0
    assert ros.seconds("03:04:05") == 3 * 3600 + 4 * 60 + 5
    assert ros.seconds("2d03:04:05") == 2 * 86400 + 3 * 3600 + 4 * 60 + 5
    assert ros.seconds(None) == 0
    assert ros.seconds("10") == ros.seconds(10) == 10
