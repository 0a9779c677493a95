# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import functools
import logging
import ssl
from contextlib import contextmanager

import librouteros
from librouteros.exceptions import LibRouterosError, MultiTrapError, TrapError
from librouteros.query import And, Key, Or

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.isp_base.access import check_isp_group
from odoo.addons.isp_subscription.lib import session_counters
from odoo.addons.isp_subscription.models.isp_provisioning import PermanentError

from ..lib import routeros

_logger = logging.getLogger(__name__)

NETWORK_GROUP = "isp_base.group_isp_technician"
SECRET_GROUP = "isp_base.group_isp_manager"
# The NAS settings sent to the router as they are: the RouterOS API takes ASCII.
_ROUTER_NAMES = ("routeros_profile", "routeros_suspended_list", "routeros_hotspot_profile")


class IspNas(models.Model):
    """The router's RouterOS API access and what Odoo keeps in step over it. The API user
    and password are readable by ISP managers only (``groups``), like the RADIUS secret.

    The ``api_*`` columns were isp_base's before: they keep their names on ``isp_nas``, so a
    database that had them loses nothing when this addon is installed or updated."""

    _inherit = "isp.nas"

    api_host = fields.Char(string="API Host", help="Address of the management API. Empty: the IP address.")
    api_port = fields.Integer(
        string="API Port", default=8728, help="RouterOS: 8728 for the API, 8729 for API-SSL."
    )
    api_use_ssl = fields.Boolean(string="Use API-SSL")
    api_username = fields.Char(string="API User", groups=SECRET_GROUP, copy=False)
    api_password = fields.Char(string="API Password", groups=SECRET_GROUP, copy=False)
    api_timeout = fields.Integer(string="API Timeout (s)", default=10)
    routeros_managed = fields.Boolean(
        string="Provision over the API",
        help="For operators without RADIUS: Odoo keeps this router's PPPoE secrets, simple queues, "
        "hotspot users and suspension address list in step with the subscriptions of its site and "
        "of every site below it that has no managed router of its own.",
    )
    routeros_profile = fields.Char(string="PPP Profile", default="default")
    routeros_suspended_list = fields.Char(string="Suspension Address List", default="isp-suspended")
    routeros_hotspot_profile = fields.Char(
        string="Hotspot User Profile",
        help="Hotspot subscriptions get a hotspot user (/ip/hotspot/user) with this user profile, "
        "whose rate-limit sets their speed. Empty: this router does not provision hotspot users "
        "(RADIUS may).",
    )
    api_verify_ssl = fields.Boolean(
        string="Verify API-SSL Certificate", help="Off for the router's self-signed certificate."
    )
    routeros_usage = fields.Boolean(
        string="Count Usage from the Router",
        default=True,
        help="Daily usage from the PPPoE users' interface counters and the hotspot sessions. Turn "
        "off when a RADIUS server counts the usage, or it is counted twice.",
    )
    routeros_polled_at = fields.Datetime(string="Sessions Read At", readonly=True, copy=False)
    routeros_error = fields.Text(string="API Error", readonly=True, copy=False)

    _sql_constraints = [
        (
            "api_port_range",
            "CHECK(api_port BETWEEN 1 AND 65535)",
            "The API port must be between 1 and 65535.",
        ),
        ("api_timeout_positive", "CHECK(api_timeout > 0)", "The API timeout must be positive."),
    ]

    @api.onchange("api_use_ssl")
    def _onchange_api_use_ssl(self):
        if self.api_port in (8728, 8729):
            self.api_port = 8729 if self.api_use_ssl else 8728

    @api.constrains(*_ROUTER_NAMES)
    def _check_routeros_names(self):
        for nas in self:
            for name in _ROUTER_NAMES:
                value = nas[name]
                if value and not (value.isascii() and value.isprintable()):
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(nas)s: the RouterOS API takes plain ASCII letters, digits "
                            "and signs only.",
                            field=nas._fields[name].get_description(self.env)["string"],
                            nas=nas.name,
                        )
                    )

    def _check_routeros_technician(self):
        """Public methods are an API: only ISP technicians (and managers) work on routers."""
        check_isp_group(self.env, NETWORK_GROUP)
        self.check_access("read")

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

    # -- which router serves what ------------------------------------------

    @api.model
    def _routeros_for(self, subscription):
        """The managed router serving the subscription: the nearest one on its site or on a
        site above it (on one site, the first made wins)."""
        site = subscription.site_id
        if not site:
            return self.browse()
        chain = [int(part) for part in site.sudo().parent_path.split("/") if part]
        routers = self.search(
            [
                ("site_id", "in", chain),
                ("routeros_managed", "=", True),
                ("company_id", "=", subscription.company_id.id),
            ],
            order="id",
        )
        if not routers:
            return routers
        return max(routers, key=lambda nas: (chain.index(nas.site_id.id), -nas.id))

    def _routeros_domain(self):
        """The subscriptions this router serves: those of its site and of every site below it,
        except where a nearer managed router is (see :meth:`_routeros_for`)."""
        self.ensure_one()
        if not self.site_id:
            return [("id", "=", False)]
        others = self.search(
            [
                ("routeros_managed", "=", True),
                ("site_id", "child_of", self.site_id.id),
                ("company_id", "=", self.company_id.id),
                ("id", "!=", self.id),
            ]
        )
        if others.filtered(lambda nas: nas.site_id == self.site_id and nas.id < self.id):
            return [("id", "=", False)]
        domain = [
            ("pppoe_username", "!=", False),
            ("company_id", "=", self.company_id.id),
            ("site_id", "child_of", self.site_id.id),
        ]
        nearer = (others.site_id - self.site_id).ids
        if nearer:
            domain += ["!", ("site_id", "child_of", nearer)]
        return domain

    def _routeros_router(self):
        return routeros.Router(
            profile=self.routeros_profile or "default",
            suspended_list=self.routeros_suspended_list or "isp-suspended",
            hotspot_profile=self.routeros_hotspot_profile or "",
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
            service="hotspot" if subscription.connection_type == "hotspot" else "pppoe",
        )

    # -- provisioning ------------------------------------------------------

    def _routeros_read(self, api, subscription):
        """The items of a subscription: those with its comment, and the operator's with its
        user name (or, in the suspension list, its static address), to adopt them."""
        mark = routeros.comment(subscription.id)
        username = subscription.pppoe_username
        current = {}
        for menu in routeros.MENUS:
            by_mark = Key("comment") == mark
            if menu == routeros.ADDRESS_LIST:
                query = by_mark
                if subscription.static_ip:
                    query = Or(
                        by_mark,
                        And(
                            Key("list") == self._routeros_router().suspended_list,
                            Key("address") == subscription.static_ip,
                        ),
                    )
            else:
                query = Or(by_mark, Key("name") == username) if username else by_mark
            current[menu] = routeros.read(api.path(menu).select().where(query))
        return current

    def _routeros_execute(self, api, steps, failures=None):
        """Carry out ``steps``. With a ``failures`` list, a step the router refuses is noted
        there (step, message) and the next steps still run; without, it raises."""
        for step in steps:
            path = api.path(step.menu)
            try:
                if step.action == "add":
                    path.add(**step.values)
                elif step.action == "set":
                    path.update(**{".id": step.item_id, **step.values})
                else:
                    path.remove(step.item_id)
            except (TrapError, MultiTrapError, UnicodeError) as error:
                if failures is None:
                    raise
                failures.append((step, error))

    def _routeros_steps(self, api, subscription):
        router = self._routeros_router()
        desired = routeros.desired_items(self._routeros_subscription(subscription), router)
        current = self._routeros_read(api, subscription)
        return routeros.plan(subscription.id, current, desired, label=subscription.pppoe_username)

    def _routeros_apply(self, subscription):
        """Provision one subscription. A cut one also loses its live session: removed right
        after its login is disabled, whatever else fails, then checked."""
        self.ensure_one()
        cut = subscription.network_state in ("suspended", "terminated") and subscription.pppoe_username
        failures = []
        kicked = ""
        with self._routeros_api() as api:
            steps = self._routeros_steps(api, subscription)
            self._routeros_execute(api, [s for s in steps if s.menu in routeros.LOGIN_MENUS], failures)
            if cut:
                kicked = self._routeros_kick(api, subscription)
            self._routeros_execute(api, [s for s in steps if s.menu not in routeros.LOGIN_MENUS], failures)
            still_online = cut and self._routeros_sessions(api, subscription)
        # A failed job's chatter note is rolled back with it: the error says it instead.
        problems = [kicked] if kicked else []
        if failures:
            problems.append(self._routeros_refused(failures))
        if still_online:
            problems.append(
                self.env._(
                    "%(user)s is still online on %(nas)s.", user=subscription.pppoe_username, nas=self.name
                )
            )
        if any(isinstance(error, UnicodeError) for _step, error in failures):
            raise PermanentError("\n".join(problems))
        if failures or still_online:
            raise UserError("\n".join(problems))
        if kicked:
            subscription.message_post(body=kicked)

    def _routeros_refused(self, failures):
        """One message for the steps the router refused (or that could not be sent)."""
        return self.env._(
            "RouterOS %(nas)s refused: %(failures)s",
            nas=self.name,
            failures="; ".join(
                f"{step.action} {step.menu} {step.name}: "
                + (self._routeros_not_ascii() if isinstance(error, UnicodeError) else str(error))
                for step, error in failures
            ),
        )

    def _routeros_not_ascii(self):
        return self.env._("a value is not plain ASCII, which the RouterOS API cannot carry")

    @staticmethod
    def _routeros_sessions(api, subscription):
        """``[(menu, session)]``: the live PPP and hotspot sessions of the subscription's user."""
        username = subscription.pppoe_username
        sessions = []
        for menu, key in routeros.ACTIVE.values():
            rows = routeros.read(api.path(menu).select(".id", key).where(Key(key) == username))
            sessions += [(menu, row) for row in rows if row.get(key) == routeros.printed(username)]
        return sessions

    def _routeros_kick(self, api, subscription):
        """Remove the subscription's live sessions (disabling a login does not end them);
        returns a note saying how many, if any."""
        sessions = self._routeros_sessions(api, subscription)
        removed = 0
        for menu, session in sessions:
            try:
                api.path(menu).remove(session[".id"])
                removed += 1
            except (TrapError, MultiTrapError) as error:
                # Gone by itself in the meantime: checked again at the end.
                _logger.info("Removing session %s from %s: %s", session, self.name, error)
        if not removed:
            return ""
        return self.env._("%(count)s session(s) removed from %(nas)s.", count=removed, nas=self.name)

    # -- sessions ----------------------------------------------------------

    @api.model
    def _cron_poll_routeros(self):
        for nas in self.search([("routeros_managed", "=", True)]):
            try:
                nas._routeros_poll()
            except UserError as error:
                _logger.warning("Reading the sessions of %s failed: %s", nas.name, error)
                nas.routeros_error = str(error)

    def _routeros_read_sessions(self, api):
        """``{user name as printed: (session id, Counters or None)}`` from /ppp/active (with the
        ``<pppoe-NAME>`` interface counters) and, where hotspot users are provisioned,
        /ip/hotspot/active."""
        interfaces = {}
        if self.routeros_usage:
            for row in routeros.read(api.path("/interface").select("name", "rx-byte", "tx-byte")):
                name = row.get("name", "")
                if name.startswith("<pppoe-") and name.endswith(">"):
                    interfaces[routeros.printed(name[len("<pppoe-") : -1])] = row
        sessions = {}
        for row in routeros.read(api.path("/ppp/active").select("name", "session-id", "uptime")):
            interface = interfaces.get(row.get("name"))
            counters = None
            if interface:
                counters = session_counters.Counters(
                    input_octets=int(interface.get("rx-byte") or 0),
                    output_octets=int(interface.get("tx-byte") or 0),
                    session_time=routeros.seconds(row.get("uptime")),
                )
            sessions[row.get("name")] = (row.get("session-id", ""), counters)
        if self.routeros_hotspot_profile:
            query = api.path("/ip/hotspot/active").select(
                ".id", "user", "mac-address", "uptime", "bytes-in", "bytes-out"
            )
            for row in routeros.read(query):
                counters = session_counters.Counters(
                    input_octets=int(row.get("bytes-in") or 0),
                    output_octets=int(row.get("bytes-out") or 0),
                    session_time=routeros.seconds(row.get("uptime")),
                )
                session_id = f"hotspot {row.get('.id')} {row.get('mac-address', '')}"
                sessions.setdefault(row.get("user"), (session_id, counters if self.routeros_usage else None))
        return sessions

    def _routeros_poll(self):
        """Online status, last-seen and usage of the subscriptions this router serves."""
        self.ensure_one()
        with self._routeros_api() as api:
            sessions = self._routeros_read_sessions(api)
        now = fields.Datetime.now()
        Subscription = self.env["isp.subscription"].sudo()
        subscriptions = Subscription.search([*self._routeros_domain(), ("state", "!=", "draft")])
        # Three writes per poll, whatever the number of customers on the router.
        now_online = subscriptions.filtered(lambda s: routeros.printed(s.pppoe_username) in sessions)
        now_online.write({"network_last_seen": now})
        (now_online.filtered(lambda s: not s.network_online)).write({"network_online": True})
        (subscriptions - now_online).filtered("network_online").write({"network_online": False})
        if self.routeros_usage:
            self._routeros_count_usage(now_online, sessions)
        subscriptions.filtered("network_online")._network_still_online()
        self.write({"routeros_polled_at": now, "routeros_error": False})

    def _routeros_count_usage(self, subscriptions, sessions):
        """Daily usage from each online user's counters and session uptime."""
        today = fields.Date.context_today(self)
        rows = []
        for subscription in subscriptions:
            session_id, current = sessions.get(routeros.printed(subscription.pppoe_username), ("", None))
            if current is None:
                continue
            previous = None
            if subscription.routeros_session_id == session_id:
                previous = session_counters.Counters(
                    int(subscription.routeros_rx_bytes),
                    int(subscription.routeros_tx_bytes),
                    subscription.routeros_uptime,
                )
            change, remembered = session_counters.delta(previous, current)
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
        """Open the reconciliation of this router with its dry run done (ISP Technician)."""
        self.ensure_one()
        self._check_routeros_technician()
        wizard = self.env["isp.routeros.reconcile"].create({"nas_id": self.id})
        return wizard.action_compare()
