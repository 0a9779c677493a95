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
        """Steps for every subscription of the router's site and every item Odoo left behind."""
        nas = self.nas_id.sudo()
        subscriptions = self.env["isp.subscription"].sudo().search(nas._routeros_domain())
        by_id = {s.id: s for s in subscriptions}
        usernames = {s.pppoe_username: s.id for s in subscriptions}
        current = {}
        for menu in routeros.MENUS:
            items = [dict(item) for item in api.path(menu)]
            for sid, grouped in routeros.group_items(
                items, usernames if menu != routeros.ADDRESS_LIST else {}
            ).items():
                current.setdefault(sid, {})[menu] = grouped
        router = nas._routeros_router()
        planned = []
        for sid in sorted(set(by_id) | set(current)):
            subscription = by_id.get(sid)
            desired = (
                routeros.desired_items(nas._routeros_subscription(subscription), router)
                if subscription
                else {}
            )
            for step in routeros.plan(sid, current.get(sid, {}), desired):
                planned.append((subscription, step))
        return planned

    def _lines(self, planned):
        return [
            fields.Command.create(
                {
                    "subscription_id": subscription.id if subscription else False,
                    "menu": step.menu,
                    "action": step.action,
                    "name": step.name,
                    "detail": routeros.describe(step),
                }
            )
            for subscription, step in planned
        ]

    def action_compare(self):
        """The dry run: list the differences, change nothing."""
        self.ensure_one()
        with self.nas_id._routeros_api() as api:
            planned = self._plan(api)
        self.write({"state": "compared", "line_ids": [fields.Command.clear(), *self._lines(planned)]})
        return self._reopen()

    def action_apply(self):
        """Fix the differences as they are now (the router is read again first)."""
        self.ensure_one()
        with self.nas_id._routeros_api() as api:
            planned = self._plan(api)
            self.nas_id._routeros_execute(api, [step for _subscription, step in planned])
        self.write({"state": "applied", "line_ids": [fields.Command.clear(), *self._lines(planned)]})
        self.nas_id.message_post(body=self.env._("Reconciled with Odoo: %s change(s) made.", len(planned)))
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
