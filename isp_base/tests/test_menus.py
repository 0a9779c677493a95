# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import datetime as pydatetime

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.osv import expression
from odoo.tests import tagged
from odoo.tools import safe_eval

from .common import IspBaseCommon

ROLES = ("isp_user", "isp_billing", "isp_technician", "isp_manager")
LIST_TYPES = ("list", "kanban")
SUBVIEW_TAGS = ("list", "form", "kanban")


@tagged("post_install", "-at_install")
class TestMenus(IspBaseCommon):
    """Every ISP menu a role sees opens for it: the views load and their records read.

    Runs with every isp_* addon installed (post_install), as each ISP role, doing what
    the web client does when a menu is clicked: get_views for the action's view modes,
    web_search_read with the fields of the list (or kanban) view, web_read of the first
    record with the fields of the form view, and the list under each filter of the
    search view. Any error, an AccessError above all, fails and names the menu and role.
    """

    def test_every_visible_isp_menu_opens_for_every_role(self):
        root = self.env.ref("isp_base.menu_isp_root")
        menus = (
            self.env["ir.ui.menu"]
            .with_context(**{"ir.ui.menu.full_list": True})
            .search([("id", "child_of", root.id)])
        )
        failures = []
        opened = {}
        for role in ROLES:
            user = getattr(self, role)
            visible = self.env(user=user)["ir.ui.menu"]._visible_menu_ids()
            self.assertIn(root.id, visible, f"{role} does not see the ISP menu")
            opened[role] = []
            # a menu is seen when it and every menu above it are visible (the web client
            # builds the menu tree from the app's root down)
            seen = menus.filtered(
                lambda m, visible=visible: all(int(i) in visible for i in m.parent_path.split("/") if i)
            )
            for menu in seen:
                if not menu.action or menu.action._name != "ir.actions.act_window":
                    continue
                opened[role].append(menu.complete_name)
                failures += self._open_menu(user, role, menu)
        self.assertIn("ISP/Customers", opened["isp_user"])
        self.assertIn("ISP/Configuration/Service Plans", opened["isp_manager"])
        self.assertNotIn("ISP/Configuration/Service Plans", opened["isp_billing"])
        self.assertFalse(failures, "\n" + "\n".join(failures))

    # what the web client does

    def _open_menu(self, user, role, menu):
        failures = []
        env = self.env(user=user)
        action = menu.action.sudo()._get_action_dict()  # as /web/action/load
        where = f"{role}: menu {menu.complete_name!r} ({action['res_model']})"

        def step(name, function, *args):
            try:
                with self.env.cr.savepoint():
                    return function(*args)
            except Exception as error:  # every error fails the test, named
                failures.append(f"{where}, {name}: {type(error).__name__}: {error}")
                return None

        eval_context = self._eval_context(env)
        context = dict(env.context, **safe_eval.safe_eval(action["context"] or "{}", eval_context))
        eval_context["context"] = context
        domain = safe_eval.safe_eval(action["domain"] or "[]", eval_context)
        model = env[action["res_model"]].with_context(**context)
        views = [list(view) for view in action["views"]]
        search_view_id = action["search_view_id"] and action["search_view_id"][0]
        result = step(
            "get_views",
            model.get_views,
            [*views, [search_view_id, "search"]],
            {"action_id": action["id"], "load_filters": True, "toolbar": True},
        )
        if not result:
            return failures
        models = result["models"]
        first_id = None
        for view_type in [view_type for _view_id, view_type in views if view_type in LIST_TYPES]:
            spec = self._specification(result["views"][view_type]["arch"], model._name, models)
            records = step(f"{view_type} view", model.web_search_read, domain, spec, 0, 80, None, 10001)
            if records and records["records"] and not first_id:
                first_id = records["records"][0]["id"]
        if "form" in result["views"]:
            first_id = first_id or step("search", model.search, domain, 0, 1).id
            if first_id:
                spec = self._specification(result["views"]["form"]["arch"], model._name, models)
                spec["display_name"] = {}
                step(f"form view of record {first_id}", model.browse(first_id).web_read, spec)
        list_type = next((view_type for _view_id, view_type in views if view_type in LIST_TYPES), None)
        list_spec = (
            self._specification(result["views"][list_type]["arch"], model._name, models)
            if list_type
            else {"display_name": {}}
        )
        for search_filter in etree.fromstring(result["views"]["search"]["arch"]).iter("filter"):
            name = search_filter.get("name") or search_filter.get("string")
            if search_filter.get("domain"):
                filter_domain = step(
                    f"domain of filter {name!r}",
                    safe_eval.safe_eval,
                    search_filter.get("domain"),
                    eval_context,
                )
                if filter_domain is not None:
                    step(
                        f"filter {name!r}",
                        model.web_search_read,
                        expression.AND([domain, filter_domain]),
                        list_spec,
                        0,
                        80,
                    )
            group_by = safe_eval.safe_eval(search_filter.get("context") or "{}", eval_context).get("group_by")
            if group_by:
                step(f"group by {name!r}", model.web_read_group, domain, ["__count"], [group_by])
        return failures

    def _eval_context(self, env):
        """What the web client evaluates action domains, contexts and filters with."""
        today = fields.Date.context_today(env.user)
        return {
            "uid": env.uid,
            "user": env.user,
            "allowed_company_ids": env.companies.ids,
            "current_company_id": env.company.id,
            "context_today": lambda: today,
            "today": today.strftime("%Y-%m-%d"),
            "current_date": today.strftime("%Y-%m-%d"),
            "now": pydatetime.datetime.now(),
            "time": safe_eval.time,
            "datetime": safe_eval.datetime,
            "relativedelta": relativedelta,
            "context": dict(env.context),
            "active_id": False,
            "active_ids": [],
        }

    def _specification(self, arch, model_name, models):
        """The web_read specification the web client sends for a view: its fields, the
        display name of many2one values, and the fields of x2many sub-views."""
        return self._node_specification(etree.fromstring(arch), model_name, models)

    def _node_specification(self, node, model_name, models):
        spec = {}
        model_fields = models[model_name]["fields"]
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag != "field":
                for name, value in self._node_specification(child, model_name, models).items():
                    spec[name] = {**spec.get(name, {}), **value}
                continue
            name = child.get("name")
            description = model_fields.get(name)
            if not description:
                continue
            value = {}
            if description["type"] in ("many2one", "reference"):
                value = {"fields": {"display_name": {}}}
            elif description["type"] in ("one2many", "many2many"):
                subview = next((sub for sub in child if sub.tag in SUBVIEW_TAGS and sub.tag != "form"), None)
                value = {
                    "fields": self._node_specification(subview, description["relation"], models)
                    if subview is not None
                    else {"display_name": {}},
                    "limit": 40,
                }
            spec[name] = {**spec.get(name, {}), **value}
        return spec
