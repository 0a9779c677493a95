# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may call a public method: the ISP addons' methods are an API that outside clients call
over RPC, so each checks the group of the staff who do that work (roles.md)."""

from odoo.exceptions import AccessError


def check_isp_group(env, group_xmlid):
    """Refuse a caller outside ``group_xmlid`` (the superuser and data files pass)."""
    if env.su or env.user.has_group(group_xmlid):
        return
    raise AccessError(
        env._(
            "Only ISP staff of the group %(group)s may do this (%(user)s is not).",
            group=env.ref(group_xmlid).sudo().full_name,
            user=env.user.name,
        )
    )
