# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The rows isp_radius writes, as Debian's FreeRADIUS reads them (real server on loopback)."""

from isp_radius.lib import attributes
from isp_radius.tests.freeradius import FreeRadius

from .conftest import SECRET


def write_user(sql, username, rows):
    for table, part in (("radcheck", rows.check), ("radreply", rows.reply)):
        for attribute, op, value in part:
            sql(
                f"INSERT INTO {table} (username, attribute, op, value) VALUES (%s, %s, %s, %s)",
                [username, attribute, op, value],
            )
    for group, priority in rows.groups:
        sql(
            "INSERT INTO radusergroup (username, groupname, priority) VALUES (%s, %s, %s)",
            [username, group, priority],
        )


def write_groups(sql, groups):
    for group, (check, reply) in groups.items():
        for table, part in (("radgroupcheck", check), ("radgroupreply", reply)):
            for attribute, op, value in part:
                sql(
                    f"INSERT INTO {table} (groupname, attribute, op, value) VALUES (%s, %s, %s, %s)",
                    [group, attribute, op, value],
                )


def test_active_user_gets_its_speed_and_address(freeradius, sql):
    write_groups(sql, attributes.group_rows("reject"))
    write_user(sql, "budi", attributes.user_rows("active", "pw1", rate_limit="5M/10M", static_ip="10.20.0.9"))
    answer = freeradius.radtest("budi", "pw1", SECRET)
    assert "Access-Accept" in answer
    assert 'Mikrotik-Rate-Limit = "5M/10M"' in answer
    assert "Framed-IP-Address = 10.20.0.9" in answer
    assert "Access-Reject" in freeradius.radtest("budi", "wrong", SECRET)


def test_suspended_user_is_rejected(freeradius, sql):
    write_groups(sql, attributes.group_rows("reject", reject_message="Please pay"))
    write_user(sql, "sari", attributes.user_rows("suspended", "pw2", rate_limit="5M/10M"))
    answer = freeradius.radtest("sari", "pw2", SECRET)
    assert "Access-Reject" in answer
    assert 'Reply-Message = "Please pay"' in answer


def test_suspended_user_lands_in_the_walled_garden(freeradius, sql):
    write_groups(sql, attributes.group_rows("walled_garden", walled_garden_address_list="unpaid"))
    write_user(sql, "wati", attributes.user_rows("suspended", "pw3", rate_limit="5M/10M"))
    answer = freeradius.radtest("wati", "pw3", SECRET)
    assert "Access-Accept" in answer
    assert 'Mikrotik-Address-List = "unpaid"' in answer
    assert "Mikrotik-Rate-Limit" not in answer


def test_post_auth_log_keeps_no_password(freeradius, sql):
    write_groups(sql, attributes.group_rows("reject"))
    write_user(sql, "agus", attributes.user_rows("active", "secret-pw", rate_limit="1M/2M"))
    freeradius.radtest("agus", "secret-pw", SECRET)
    freeradius.radtest("agus", "typo-pw", SECRET)
    assert sql("SELECT pass, reply FROM radpostauth WHERE username = 'agus' ORDER BY id") == [
        ("", "Access-Accept"),
        ("", "Access-Reject"),
    ]


def test_debian_default_post_auth_stores_every_password_typed(radius_db, sql):
    """Why the readme asks to change the radpostauth query, and Test Connection warns."""
    write_groups(sql, attributes.group_rows("reject"))
    write_user(sql, "agus", attributes.user_rows("active", "secret-pw", rate_limit="1M/2M"))
    with FreeRadius(radius_db, store_passwords=True) as debian:
        debian.radtest("agus", "secret-pw", SECRET)
        debian.radtest("agus", "typo-pw", SECRET)
    assert sql("SELECT pass, reply FROM radpostauth WHERE username = 'agus' ORDER BY id") == [
        ("secret-pw", "Access-Accept"),
        ("typo-pw", "Access-Reject"),
    ]


def test_accounting_folds_gigawords(freeradius, sql):
    session = {"User-Name": "budi", "Acct-Session-Id": "81a00001", "NAS-IP-Address": "127.0.0.1"}
    freeradius.radclient({**session, "Acct-Status-Type": "Start"}, SECRET)
    freeradius.radclient(
        {
            **session,
            "Acct-Status-Type": "Interim-Update",
            "Acct-Session-Time": 600,
            "Acct-Input-Octets": 100,
            "Acct-Input-Gigawords": 1,
            "Acct-Output-Octets": 5000,
            "Acct-Output-Gigawords": 2,
        },
        SECRET,
    )
    assert sql("SELECT acctinputoctets, acctoutputoctets, acctsessiontime FROM radacct") == [
        (2**32 + 100, 2 * 2**32 + 5000, 600)
    ]
