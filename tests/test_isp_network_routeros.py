"""What a MikroTik router holds for a subscription (isp_network.lib.routeros)."""

from isp_network.lib import routeros as ros

ROUTER = ros.Router(profile="pppoe-customers", suspended_list="unpaid")


def sub(state="active", **values):
    defaults = {"id": 7, "username": "c000007", "password": "pw", "rate_limit": "5M/10M 10M/20M 4M/8M 8/8"}
    return ros.Subscription(network_state=state, **{**defaults, **values})


def as_read(items):
    """Items as RouterOS prints them back (ids, rates in bit/s, booleans true/false)."""
    read = {}
    for number, (menu, values) in enumerate(items.items(), start=1):
        item = {".id": f"*{number}", **values}
        if "max-limit" in item:
            item["max-limit"] = "/".join(str(ros.bits(p)) for p in item["max-limit"].split("/"))
        if "disabled" in item:
            item["disabled"] = item["disabled"] == "yes"
        read[menu] = [item]
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
    ]
    assert ros.group_items(items, {"c000008": 8}) == {7: [items[0]], 8: [items[1]]}
    assert ros.bits("10M") == 10_000_000 and ros.bits("512k") == 512_000


def test_durations():
    assert ros.seconds("1w2d3h4m5s") == 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5
    assert ros.seconds("0s") == 0
    assert ros.seconds("03:04:05") == 3 * 3600 + 4 * 60 + 5
    assert ros.seconds("2d03:04:05") == 2 * 86400 + 3 * 3600 + 4 * 60 + 5
    assert ros.seconds(None) == 0
