import functools
import logging
import ssl
from contextlib import contextmanager

import librouteros
from librouteros.exceptions import LibRouterosError
from librouteros.query import Key, Or

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.isp_subscription.lib import accounting

from ..lib import routeros

_logger = logging.getLogger(__name__)


class IspNas(models.Model):
    _inherit = "isp.nas"

    routeros_managed = fields.Boolean(
        string="Provision over the API",
        help="For operators without RADIUS: Odoo keeps this router's PPPoE secrets, simple queues "
        "and suspension address list in step with the subscriptions of its site.",
    )
    routeros_profile = fields.Char(string="PPP Profile", default="default")
    routeros_suspended_list = fields.Char(string="Suspension Address List", default="isp-suspended")
    api_verify_ssl = fields.Boolean(
        string="Verify API-SSL Certificate", help="Off for the router's self-signed certificate."
    )
    routeros_usage = fields.Boolean(
        string="Count Usage from the Router",
        default=True,
        help="Daily usage from the PPPoE users' interface counters. Turn off when a RADIUS "
        "server counts the usage, or it is counted twice.",
    )
    routeros_polled_at = fields.Datetime(string="Sessions Read At", readonly=True, copy=False)
    routeros_error = fields.Text(string="API Error", readonly=True, copy=False)

    # -- connection --------------------------------------------------------

    @contextmanager
    def _routeros_api(self):
        """A logged-in librouteros connection; any API failure becomes a UserError."""
        self.ensure_one()
        nas = self.sudo()
        host = nas.api_host or nas.ip_address
        options = {"port": nas.api_port, "timeout": nas.api_timeout or 10}
        if nas.api_use_ssl:
            context = ssl.create_default_context()
            if not nas.api_verify_ssl:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            options["ssl_wrapper"] = functools.partial(context.wrap_socket, server_hostname=host)
        try:
            api = librouteros.connect(host, nas.api_username or "", nas.api_password or "", **options)
        except (OSError, LibRouterosError) as error:
            raise UserError(
                self.env._("Cannot reach the RouterOS API of %(nas)s: %(error)s", nas=nas.name, error=error)
            ) from error
        try:
            yield api
        except (OSError, LibRouterosError) as error:
            raise UserError(
                self.env._("RouterOS %(nas)s answered: %(error)s", nas=nas.name, error=error)
            ) from error
        finally:
            api.close()

    # -- provisioning ------------------------------------------------------

    @api.model
    def _routeros_for(self, subscription):
        """The API-managed router of the subscription's site."""
        if not subscription.site_id:
            return self.browse()
        return self.search(
            [("site_id", "=", subscription.site_id.id), ("routeros_managed", "=", True)], limit=1
        )

    def _routeros_domain(self):
        """The subscriptions this router serves."""
        self.ensure_one()
        return [("pppoe_username", "!=", False), ("site_id", "=", self.site_id.id)]

    def _routeros_router(self):
        return routeros.Router(
            profile=self.routeros_profile or "default",
            suspended_list=self.routeros_suspended_list or "isp-suspended",
        )

    @staticmethod
    def _routeros_subscription(subscription):
        return routeros.Subscription(
            id=subscription.id,
            username=subscription.pppoe_username or "",
            password=subscription.pppoe_password or "",
            network_state=subscription.network_state,
            rate_limit=subscription.rate_limit or "",
            static_ip=subscription.static_ip or "",
        )

    @staticmethod
    def _routeros_read(api, subscription):
        """The items of a subscription: its comment, or its user name on secrets and queues."""
        mark = routeros.comment(subscription.id)
        current = {}
        for menu in routeros.MENUS:
            path = api.path(menu)
            if menu == routeros.ADDRESS_LIST or not subscription.pppoe_username:
                query = path.select().where(Key("comment") == mark)
            else:
                query = path.select().where(
                    Or(Key("comment") == mark, Key("name") == subscription.pppoe_username)
                )
            current[menu] = [dict(item) for item in query]
        return current

    @staticmethod
    def _routeros_execute(api, steps):
        for step in steps:
            path = api.path(step.menu)
            if step.action == "add":
                path.add(**step.values)
            elif step.action == "set":
                path.update(**{".id": step.item_id, **step.values})
            else:
                path.remove(step.item_id)

    def _routeros_steps(self, api, subscription):
        desired = routeros.desired_items(self._routeros_subscription(subscription), self._routeros_router())
        current = self._routeros_read(api, subscription)
        return routeros.plan(subscription.id, current, desired, label=subscription.pppoe_username)

    def _routeros_apply(self, subscription):
        """Provision one subscription; a cut one also loses its live session, checked."""
        self.ensure_one()
        with self._routeros_api() as api:
            self._routeros_execute(api, self._routeros_steps(api, subscription))
            if subscription.network_state in ("suspended", "terminated") and subscription.pppoe_username:
                active = api.path("/ppp/active")
                sessions = [
                    dict(s) for s in active.select().where(Key("name") == subscription.pppoe_username)
                ]
                for session in sessions:
                    active.remove(session[".id"])
                if sessions:
                    subscription.message_post(
                        body=self.env._(
                            "%(count)s session(s) removed from %(nas)s.", count=len(sessions), nas=self.name
                        )
                    )
                left = list(active.select().where(Key("name") == subscription.pppoe_username))
                if left:
                    raise UserError(
                        self.env._(
                            "%(user)s is still online on %(nas)s.",
                            user=subscription.pppoe_username,
                            nas=self.name,
                        )
                    )

    # -- sessions ----------------------------------------------------------

    @api.model
    def _cron_poll_routeros(self):
        for nas in self.search([("routeros_managed", "=", True)]):
            try:
                nas._routeros_poll()
            except UserError as error:
                _logger.warning("Reading the sessions of %s failed: %s", nas.name, error)
                nas.routeros_error = str(error)

    def _routeros_poll(self):
        """Online status and last-seen of the site's subscriptions, from /ppp/active."""
        self.ensure_one()
        with self._routeros_api() as api:
            sessions = {
                item.get("name"): item
                for item in api.path("/ppp/active").select("name", "session-id", "uptime")
            }
            counters = {}
            if self.routeros_usage:
                counters = {
                    item.get("name"): item
                    for item in api.path("/interface").select("name", "rx-byte", "tx-byte")
                    if str(item.get("name", "")).startswith("<pppoe-")
                }
        online = set(sessions)
        now = fields.Datetime.now()
        Subscription = self.env["isp.subscription"].sudo()
        subscriptions = Subscription.search([*self._routeros_domain(), ("state", "!=", "draft")])
        # Three writes per poll, whatever the number of customers on the router.
        now_online = subscriptions.filtered(lambda s: s.pppoe_username in online)
        now_online.write({"network_last_seen": now})
        (now_online.filtered(lambda s: not s.network_online)).write({"network_online": True})
        (subscriptions - now_online).filtered("network_online").write({"network_online": False})
        if self.routeros_usage:
            self._routeros_count_usage(subscriptions, sessions, counters)
        subscriptions.filtered("network_online")._network_still_online()
        self.write({"routeros_polled_at": now, "routeros_error": False})

    def _routeros_count_usage(self, subscriptions, sessions, interfaces):
        """Daily usage from each online user's interface bytes and session uptime."""
        today = fields.Date.context_today(self)
        rows = []
        for subscription in subscriptions:
            session = sessions.get(subscription.pppoe_username)
            interface = interfaces.get(f"<pppoe-{subscription.pppoe_username}>")
            if not session or not interface:
                continue
            current = accounting.Counters(
                input_octets=int(interface.get("rx-byte") or 0),
                output_octets=int(interface.get("tx-byte") or 0),
                session_time=routeros.seconds(session.get("uptime")),
            )
            session_id = str(session.get("session-id") or "")
            previous = None
            if subscription.routeros_session_id == session_id:
                previous = accounting.Counters(
                    int(subscription.routeros_rx_bytes),
                    int(subscription.routeros_tx_bytes),
                    subscription.routeros_uptime,
                )
            change, remembered = accounting.delta(previous, current)
            if change:
                rows.append((subscription.id, today, change.bytes_down, change.bytes_up, change.seconds))
            subscription.write(
                {
                    "routeros_session_id": session_id,
                    "routeros_rx_bytes": remembered.input_octets,
                    "routeros_tx_bytes": remembered.output_octets,
                    "routeros_uptime": remembered.session_time,
                }
            )
        self.env["isp.usage.daily"]._add_usage(rows)

    def action_routeros_reconcile(self):
        self.ensure_one()
        wizard = self.env["isp.routeros.reconcile"].create({"nas_id": self.id})
        wizard.action_compare()
        return {
            "type": "ir.actions.act_window",
            "res_model": "isp.routeros.reconcile",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }
