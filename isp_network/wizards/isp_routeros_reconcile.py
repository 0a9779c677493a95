# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

from odoo import fields, models

from ..lib import routeros


class IspRouterosReconcile(models.TransientModel):
    """Compare a router with what Odoo wants, show the differences, fix them on request."""

    _name = "isp.routeros.reconcile"
    _description = "RouterOS Reconciliation"

    nas_id = fields.Many2one("isp.nas", string="Router", required=True, ondelete="cascade")
    state = fields.Selection([("compared", "Compared"), ("applied", "Applied")], default="compared")
    line_ids = fields.One2many("isp.routeros.reconcile.line", "wizard_id", string="Differences")

    def _plan(self, api):
        """Steps for every subscription the router serves and every item Odoo left behind.

        The operator's own items (no ``odoo:`` comment) are only ever adopted: marked and
        set when they have the name (or suspended address) of an item a subscription
        should have, never removed.
        """
        nas = self.nas_id.sudo()
        router = nas._routeros_router()
        subscriptions = self.env["isp.subscription"].sudo().search(nas._routeros_domain())
        by_id = {s.id: s for s in subscriptions}
        desired = {s.id: routeros.desired_items(nas._routeros_subscription(s), router) for s in subscriptions}
        keys = routeros.desired_keys(desired)
        current = {}
        for menu in routeros.MENUS:
            items = routeros.read(api.path(menu))
            for sid, grouped in routeros.group_items(menu, items, keys).items():
                current.setdefault(sid, {})[menu] = grouped
        planned = []
        for sid in sorted(set(by_id) | set(current)):
            subscription = by_id.get(sid)
            label = subscription.pppoe_username if subscription else ""
            steps = routeros.plan(sid, current.get(sid, {}), desired.get(sid, {}), label)
            planned += [(subscription, step) for step in steps]
        return planned

    def _lines(self, planned, failures=()):
        errors = {id(step): error for step, error in failures}
        return [
            fields.Command.create(
                {
                    "subscription_id": subscription.id if subscription else False,
                    "menu": step.menu,
                    "action": step.action,
                    "name": step.name,
                    "detail": routeros.describe(step),
                    "error": self._error_text(errors.get(id(step))),
                }
            )
            for subscription, step in planned
        ]

    def _error_text(self, error):
        if error is None:
            return False
        if isinstance(error, UnicodeError):
            return self.nas_id._routeros_not_ascii()
        return str(error)

    def action_compare(self):
        """The dry run: list the differences, change nothing (ISP Technician)."""
        self.ensure_one()
        self.nas_id._check_routeros_technician()
        with self.nas_id._routeros_api() as api:
            planned = self._plan(api)
        self.write({"state": "compared", "line_ids": [fields.Command.clear(), *self._lines(planned)]})
        return self._reopen()

    def action_apply(self):
        """Fix the differences as they are now, the router read again first (ISP Technician).
        A change the router refuses is shown on its line; the others are still made."""
        self.ensure_one()
        self.nas_id._check_routeros_technician()
        failures = []
        with self.nas_id._routeros_api() as api:
            planned = self._plan(api)
            # Logins first, and in each menu removals first, so that a name an old item
            # still holds is free when another subscription's item takes it.
            steps = sorted(
                (step for _subscription, step in planned),
                key=lambda step: (step.menu not in routeros.LOGIN_MENUS, step.action != "remove"),
            )
            self.nas_id._routeros_execute(api, steps, failures)
        self.write(
            {"state": "applied", "line_ids": [fields.Command.clear(), *self._lines(planned, failures)]}
        )
        self.nas_id.sudo().message_post(
            body=self.env._(
                "Reconciled with Odoo: %(done)s change(s) made, %(failed)s refused.",
                done=len(planned) - len(failures),
                failed=len(failures),
            )
        )
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class IspRouterosReconcileLine(models.TransientModel):
    _name = "isp.routeros.reconcile.line"
    _description = "RouterOS Difference"

    wizard_id = fields.Many2one("isp.routeros.reconcile", required=True, ondelete="cascade")
    subscription_id = fields.Many2one("isp.subscription")
    menu = fields.Char()
    action = fields.Selection([("add", "Add"), ("set", "Change"), ("remove", "Remove")])
    name = fields.Char()
    detail = fields.Char()
    error = fields.Char(string="Refused")
