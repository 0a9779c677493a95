# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

MAP_ACTIONS = ("isp_subscription.action_isp_subscriptions", "isp_base.action_isp_sites")


def uninstall_hook(env):
    """Take the map view mode out of the actions this addon gave it to."""
    for xmlid in MAP_ACTIONS:
        action = env.ref(xmlid, raise_if_not_found=False)
        if action and "isp_map" in action.view_mode.split(","):
            action.view_mode = ",".join(mode for mode in action.view_mode.split(",") if mode != "isp_map")
