/* global L */
import { Component, onMounted, onWillStart, onWillUnmount, onWillUpdateProps, useRef, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { SearchBar } from "@web/search/search_bar/search_bar";
import { useSearchBarToggler } from "@web/search/search_bar/search_bar_toggler";
import { standardViewProps } from "@web/views/standard_view_props";

// The status rule lives in isp_mapping/lib/status.py; the server sends each marker's colour.
export const STATUS_COLOURS = ["green", "orange", "red", "grey"];
const SITE_TYPES = {
    pop: _t("Point of Presence"),
    tower: _t("Tower"),
    access_point: _t("Access Point"),
    olt: _t("OLT"),
};
const STATES = {
    draft: _t("Draft"),
    active: _t("Active"),
    suspended: _t("Suspended"),
    terminated: _t("Terminated"),
};
const WORST = { red: 3, orange: 2, green: 1, grey: 0 };
// as isp.subscription's MAX_ROUTE_STOPS: a route goes through at most this many customers
export const MAX_PICKED = 50;
// a click this close (pixels) to the last vertex adds none (the two clicks of a double click)
const SAME_VERTEX_PX = 5;

/**
 * Build a DOM element: strings become text nodes, never HTML, so that a customer named
 * "<img src=x onerror=...>" shows as these characters.
 */
export function el(tag, { className, onClick, href } = {}, children = []) {
    const node = document.createElement(tag);
    if (className) {
        node.className = className;
    }
    if (href) {
        node.setAttribute("href", href);
        node.setAttribute("target", "_blank");
        node.setAttribute("rel", "noopener noreferrer");
    }
    if (onClick) {
        node.addEventListener("click", (ev) => {
            ev.preventDefault();
            onClick(ev);
        });
    }
    for (const child of children) {
        if (child === null || child === undefined || child === false) {
            continue;
        }
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
}

export class IspMapController extends Component {
    static template = "isp_mapping.IspMapView";
    static components = { Layout, SearchBar };
    static props = { ...standardViewProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.notification = useService("notification");
        this.mapRef = useRef("map");
        this.searchBarToggler = useSearchBarToggler();
        this.state = useState({
            loading: true,
            includeHidden: false,
            showSites: true,
            counts: { green: 0, orange: 0, red: 0, grey: 0 },
            total: 0,
            sitesDown: 0,
            outage: null,
            serverMs: 0,
            ready: false,
            readyMs: 0,
            groups: [],
            density: false,
            farKm: 2,
            far: null,
            // drawing an area: null, or { count } of its vertices so far
            drawing: null,
            // customers picked for a route: [{ id, customer }], and their planned route
            picked: [],
            customerRoute: null,
            customerStartId: null,
        });
        this.drawPoints = [];
        this.onDrawClick = this.onDrawClick.bind(this);
        this.onDrawDoubleClick = this.onDrawDoubleClick.bind(this);
        this.onDrawKey = this.onDrawKey.bind(this);
        this.loadStartedAt = performance.now();
        this.legend = [
            { colour: "green", label: _t("Active and online") },
            { colour: "orange", label: _t("Warning: usage ≥ 80 % of cap, fair usage or overdue") },
            { colour: "red", label: _t("Offline or suspended") },
            { colour: "grey", label: _t("Draft or terminated") },
        ];
        this.data = null;
        onWillStart(() => this.load(this.props));
        onWillUpdateProps((nextProps) => this.load(nextProps));
        onMounted(() => {
            this.createMap();
            this.draw();
        });
        onWillUnmount(() => {
            document.removeEventListener("keydown", this.onDrawKey, true);
            if (this.map) {
                this.map.remove();
                this.map = null;
            }
        });
    }

    async load(props) {
        this.state.loading = true;
        this.state.ready = false;
        const began = performance.now();
        if (this.map) {
            this.loadStartedAt = began;
        }
        this.data = await this.orm.call(props.resModel, "get_map_data", [props.domain], {
            include_hidden: this.state.includeHidden,
            group_by: props.groupBy,
            context: props.context,
        });
        this.state.serverMs = Math.round(performance.now() - began);
        const counts = { green: 0, orange: 0, red: 0, grey: 0 };
        for (const sub of this.data.subscriptions) {
            counts[sub.colour]++;
        }
        this.state.counts = counts;
        this.state.total = this.data.subscriptions.length;
        this.state.sitesDown = this.data.sites.filter((s) => s.down).length;
        // group-by: one line per group in the panel, each can be hidden from the map
        const hidden = new Set((this.state.groups || []).filter((g) => !g.shown).map((g) => JSON.stringify(g.value)));
        this.state.groups = this.data.groups.map((g) => ({ ...g, key: JSON.stringify(g.value), shown: !hidden.has(JSON.stringify(g.value)) }));
        if (this.map) {
            this.draw();
        }
        this.state.loading = false;
    }

    createMap() {
        // maxZoom on the map itself: clustering needs it when there is no tile layer
        this.map = L.map(this.mapRef.el, { preferCanvas: true, zoomControl: true, minZoom: 2, maxZoom: 19 });
        const { tiles_url, tiles_attribution } = this.data.config;
        if (tiles_url) {
            L.tileLayer(tiles_url, { maxZoom: 19, attribution: tiles_attribution }).addTo(this.map);
        }
        // lines and areas as SVG paths (markers stay light on the canvas renderer)
        this.svg = L.svg();
        this.map.setView([0, 0], 2);
    }

    draw({ keepView = false } = {}) {
        const map = this.map;
        for (const layer of [this.clusterLayer, this.sitesLayer, this.routeLayer]) {
            if (layer) {
                map.removeLayer(layer);
            }
        }
        this.routeLayer = null;
        this.clusterLayer = L.markerClusterGroup({
            chunkedLoading: true,
            chunkProgress: (processed, total) => {
                if (processed === total) {
                    this.markReady();
                }
            },
            showCoverageOnHover: false,
            iconCreateFunction: (cluster) => {
                let worst = "grey";
                for (const marker of cluster.getAllChildMarkers()) {
                    if (WORST[marker.options.ispColour] > WORST[worst]) {
                        worst = marker.options.ispColour;
                    }
                }
                const count = cluster.getChildCount();
                const size = count < 100 ? 36 : count < 1000 ? 44 : 52;
                return L.divIcon({
                    html: `<div><span>${Number(count)}</span></div>`,
                    className: `marker-cluster o_isp_cluster o_isp_cluster_${worst}`,
                    iconSize: L.point(size, size),
                });
            },
        });
        const markers = [];
        const icons = Object.fromEntries(
            STATUS_COLOURS.map((colour) => [
                colour,
                L.divIcon({ className: `o_isp_marker o_isp_marker_${colour}`, html: "", iconSize: [16, 16] }),
            ])
        );
        const hiddenGroups = new Set(this.state.groups.filter((g) => !g.shown).map((g) => g.key));
        for (const sub of this.data.subscriptions) {
            if (hiddenGroups.size && hiddenGroups.has(JSON.stringify(sub.group))) {
                continue;
            }
            const colour = STATUS_COLOURS.includes(sub.colour) ? sub.colour : "grey";
            // one icon per colour, shared by every marker: 50,000 markers stay light
            const marker = L.marker([sub.lat, sub.lng], { ispColour: colour, icon: icons[colour] });
            marker.bindPopup(() => this.lazyPopup(sub.id, marker), { minWidth: 220 });
            markers.push(marker);
        }
        this.clusterLayer.addLayers(markers);
        if (!markers.length) {
            this.markReady();
        }
        map.addLayer(this.clusterLayer);
        this.sitesLayer = L.layerGroup();
        const downIds = new Set(this.data.sites.filter((s) => s.down).map((s) => s.id));
        for (const site of this.data.sites) {
            if (site.coverage_radius_m) {
                L.circle([site.lat, site.lng], {
                    radius: site.coverage_radius_m,
                    color: site.down ? "#dc3545" : "#0d6efd",
                    weight: 1,
                    fillOpacity: 0.05,
                    interactive: false,
                }).addTo(this.sitesLayer);
            }
            // one area per outage: a down site under a down site is inside its parent's area
            if (site.down && site.area.length >= 3 && !downIds.has(site.parent_id)) {
                L.polygon(site.area, {
                    color: "#dc3545",
                    weight: 2,
                    fillOpacity: 0.2,
                    className: "o_isp_affected_area",
                    renderer: this.svg,
                }).addTo(
                    this.sitesLayer
                );
            }
            const marker = L.marker([site.lat, site.lng], {
                icon: L.divIcon({
                    className: ["o_isp_site", `o_isp_site_${site.type}`, site.down ? "o_isp_site_down" : ""].filter(Boolean).join(" "),
                    html: "",
                    iconSize: [18, 18],
                }),
                zIndexOffset: 1000,
            });
            marker.bindPopup(() => this.sitePopup(site), { minWidth: 220 });
            marker.addTo(this.sitesLayer);
        }
        if (this.state.showSites) {
            map.addLayer(this.sitesLayer);
        }
        this.drawDensity();
        if (keepView) {
            return;
        }
        const points = this.data.subscriptions.map((s) => [s.lat, s.lng]);
        if (!points.length) {
            points.push(...this.data.sites.map((s) => [s.lat, s.lng]));
        }
        if (points.length === 1) {
            map.setView(points[0], 16);
        } else if (points.length) {
            map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 17 });
        }
    }

    /** Markers drawn and clustered: how long since the view (or the new search) started. */
    markReady() {
        this.state.readyMs = Math.round(performance.now() - this.loadStartedAt);
        this.state.ready = true;
    }

    formatAmount(amount) {
        const { symbol, position, digits } = this.data.currency;
        const value = amount.toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: digits });
        return position === "before" ? `${symbol} ${value}` : `${value} ${symbol}`;
    }

    line(label, value, className) {
        return el("div", { className: `o_isp_popup_line ${className || ""}` }, [
            el("span", { className: "text-muted" }, [`${label}: `]),
            el("span", { className: "o_isp_popup_value" }, [String(value)]),
        ]);
    }

    /**
     * The popup's details come when it opens: the map's data holds only what markers need.
     * Leaflet calls this again on every popup update: the same element is returned until the
     * popup closes (a new opening reads fresh details).
     */
    lazyPopup(id, marker) {
        if (marker.ispPopupElement) {
            return marker.ispPopupElement;
        }
        const container = el("div", { className: "o_isp_popup_container" }, [_t("Loading…")]);
        marker.ispPopupElement = container;
        marker.once("popupclose", () => {
            marker.ispPopupElement = null;
        });
        this.orm.call("isp.subscription", "get_map_details", [[id]]).then(([details]) => {
            container.replaceChildren(details ? this.subscriptionPopup(details) : _t("Not found"));
            const popup = marker.getPopup();
            if (popup && popup.isOpen()) {
                popup.update();
            }
        });
        return container;
    }

    subscriptionPopup(sub) {
        let payment = _t("Paid up");
        if (sub.amount_due > 0) {
            payment = sub.overdue ? _t("Overdue") : _t("Due");
        }
        const unlimited = _t("unlimited");
        const fairUsage = _t("fair usage");
        const usage = sub.cap_gb ? `${sub.usage_gb} / ${sub.cap_gb} GB` : `${sub.usage_gb} GB (${unlimited})`;
        return el("div", { className: `o_isp_popup o_isp_popup_${sub.colour}` }, [
            el("div", { className: "o_isp_popup_customer fw-bold" }, [sub.customer]),
            el("div", { className: "o_isp_popup_reference text-muted" }, [sub.name]),
            this.line(_t("Plan"), sub.plan, "o_isp_popup_plan"),
            this.line(_t("State"), STATES[sub.state] || sub.state),
            this.line(_t("Payment"), `${payment} — ${this.formatAmount(sub.amount_due)}`, "o_isp_popup_payment"),
            this.line(_t("Usage this period"), usage + (sub.fair_usage ? ` (${fairUsage})` : "")),
            this.line(_t("Online"), sub.online ? _t("Yes") : _t("No"), "o_isp_popup_online"),
            this.line(_t("Last seen"), sub.last_seen || _t("Never")),
            el("div", { className: "d-flex gap-1 mt-2" }, [
                el("button", { className: "btn btn-sm btn-primary o_isp_open_subscription", onClick: () => this.openRecord("isp.subscription", sub.id) }, [
                    _t("Subscription"),
                ]),
                el("button", { className: "btn btn-sm btn-secondary o_isp_open_customer", onClick: () => this.openRecord("res.partner", sub.partner_id) }, [
                    _t("Customer"),
                ]),
                ...(this.data.config.new_ticket
                    ? [
                          el("button", { className: "btn btn-sm btn-secondary o_isp_new_ticket", onClick: () => this.newTicket(sub) }, [
                              _t("New ticket"),
                          ]),
                      ]
                    : []),
                this.pickButton(sub),
            ]),
        ]);
    }

    /** "Add to route" in a customer's popup; "Remove from route" once picked. */
    pickButton(sub) {
        const label = () => (this.isPicked(sub.id) ? _t("Remove from route") : _t("Add to route"));
        const button = el("button", {
            className: "btn btn-sm btn-outline-primary o_isp_pick",
            onClick: () => {
                this.togglePick(sub.id, sub.customer);
                button.textContent = label();
            },
        }, [label()]);
        return button;
    }

    sitePopup(site) {
        return el("div", { className: "o_isp_popup o_isp_site_popup" }, [
            el("div", { className: "fw-bold" }, [site.name]),
            this.line(_t("Type"), SITE_TYPES[site.type] || site.type),
            this.line(_t("Subscribers online"), `${site.online} / ${site.subscribers}`),
            site.down ? el("div", { className: "text-danger fw-bold" }, [_t("Down: no subscriber online")]) : null,
            el("div", { className: "d-flex gap-1 mt-2" }, [
                el("button", { className: "btn btn-sm btn-danger o_isp_outage", onClick: () => this.runOutage(site) }, [
                    _t("Outage and route"),
                ]),
                el("button", { className: "btn btn-sm btn-secondary", onClick: () => this.openRecord("isp.site", site.id) }, [
                    _t("Site"),
                ]),
            ]),
        ]);
    }

    get startSites() {
        return this.data.sites.filter((site) => site.type === "pop");
    }

    async runOutage(site, startSiteId = null) {
        const outage = await this.orm.call("isp.site", "get_outage", [[site.id]], { start_site_id: startSiteId });
        this.state.outage = { kind: "site", site: site.name, siteId: site.id, siteData: site, ...outage };
        this.drawRoute(outage.route);
        this.map.closePopup();
    }

    drawRoute(points) {
        if (this.routeLayer) {
            this.map.removeLayer(this.routeLayer);
        }
        this.routeLayer = L.polyline(
            points.map((p) => [p.lat, p.lng]),
            { color: "#6f42c1", weight: 4, className: "o_isp_route", renderer: this.svg }
        ).addTo(this.map);
    }

    // --- drawing an area for the outage tool ------------------------------------------

    /** Click to add vertices; double click or Finish closes the area, Esc or Cancel abandons it. */
    startDrawing() {
        this.cancelDrawing();
        this.map.closePopup();
        this.drawPoints = [];
        this.drawLayer = L.layerGroup().addTo(this.map);
        this.state.drawing = { count: 0 };
        this.map.doubleClickZoom.disable();
        this.mapRef.el.classList.add("o_isp_drawing");
        this.map.on("click", this.onDrawClick);
        this.map.on("dblclick", this.onDrawDoubleClick);
        document.addEventListener("keydown", this.onDrawKey, true);
    }

    onDrawClick(ev) {
        const last = this.drawPoints[this.drawPoints.length - 1];
        if (last && this.map.latLngToContainerPoint(last).distanceTo(ev.containerPoint) < SAME_VERTEX_PX) {
            return;
        }
        this.drawPoints.push(ev.latlng);
        this.state.drawing.count = this.drawPoints.length;
        this.drawShape();
    }

    onDrawDoubleClick(ev) {
        L.DomEvent.stop(ev);
        this.finishDrawing();
    }

    onDrawKey(ev) {
        if (ev.key === "Escape") {
            ev.preventDefault();
            ev.stopPropagation();
            this.cancelDrawing();
        }
    }

    /** The area being drawn: its vertices, then a line, then the polygon. */
    drawShape() {
        this.drawLayer.clearLayers();
        const points = this.drawPoints;
        const style = { color: "#fd7e14", weight: 2, dashArray: "5 5", interactive: false, renderer: this.svg };
        if (points.length >= 3) {
            L.polygon(points, { ...style, fillOpacity: 0.15, className: "o_isp_draw_shape" }).addTo(this.drawLayer);
        } else if (points.length === 2) {
            L.polyline(points, { ...style, className: "o_isp_draw_shape" }).addTo(this.drawLayer);
        }
        for (const point of points) {
            L.circleMarker(point, { ...style, dashArray: null, radius: 4, fillOpacity: 1, className: "o_isp_draw_vertex" }).addTo(
                this.drawLayer
            );
        }
    }

    stopDrawing() {
        document.removeEventListener("keydown", this.onDrawKey, true);
        if (this.map) {
            this.map.off("click", this.onDrawClick);
            this.map.off("dblclick", this.onDrawDoubleClick);
            this.map.doubleClickZoom.enable();
        }
        this.mapRef.el?.classList.remove("o_isp_drawing");
        this.state.drawing = null;
    }

    /** Abandon the area being drawn (or forget the last drawn area). */
    cancelDrawing() {
        this.stopDrawing();
        if (this.drawLayer) {
            this.map.removeLayer(this.drawLayer);
            this.drawLayer = null;
        }
        this.drawPoints = [];
    }

    async finishDrawing() {
        if (this.drawPoints.length < 3) {
            this.notification.add(_t("Click at least 3 points on the map to draw an area."), { type: "warning" });
            return;
        }
        // the server takes each edge the short way round the globe: an edge drawn across more
        // than half of it would mean another area than the one on the screen
        const points = this.drawPoints;
        if (points.some((point, i) => Math.abs(point.lng - points[(i + 1) % points.length].lng) >= 180)) {
            this.notification.add(_t("This area is too wide: draw one less than half the globe across."), {
                type: "warning",
            });
            return;
        }
        this.areaPoints = points.slice();
        this.stopDrawing();
        this.drawLayer.clearLayers();
        L.polygon(this.areaPoints, {
            color: "#fd7e14",
            weight: 2,
            fillOpacity: 0.15,
            interactive: false,
            className: "o_isp_drawn_area",
            renderer: this.svg,
        }).addTo(this.drawLayer);
        await this.runAreaOutage();
    }

    /** The outage tool on the drawn area: the server finds the customers inside it. */
    async runAreaOutage(startSiteId = null) {
        // Leaflet's longitudes go past ±180 when the map is panned round the globe: wrap them,
        // the server unwraps an area crossing the antimeridian itself
        const polygon = this.areaPoints.map((point) => {
            const wrapped = point.wrap();
            return [wrapped.lat, wrapped.lng];
        });
        const outage = await this.orm.call("isp.subscription", "get_area_outage", [polygon], {
            start_site_id: startSiteId,
        });
        this.state.outage = { kind: "area", site: _t("drawn area"), polygon, ...outage };
        this.drawRoute(outage.route);
    }

    // --- a route through picked customers -----------------------------------------

    isPicked(id) {
        return this.state.picked.some((p) => p.id === id);
    }

    togglePick(id, customer) {
        const index = this.state.picked.findIndex((p) => p.id === id);
        if (index >= 0) {
            this.state.picked.splice(index, 1);
        } else if (this.state.picked.length >= MAX_PICKED) {
            this.notification.add(_t("A route goes through at most %s customers.", MAX_PICKED), { type: "warning" });
            return false;
        } else {
            this.state.picked.push({ id, customer });
        }
        return true;
    }

    /** Pick every customer listed by the outage tool (up to the route's limit). */
    pickListed() {
        for (const row of this.state.outage.customers) {
            if (!this.isPicked(row.id) && !this.togglePick(row.id, row.customer)) {
                break;
            }
        }
    }

    clearPicked() {
        this.state.picked.splice(0);
        this.state.customerRoute = null;
        if (this.customerRouteLayer) {
            this.map.removeLayer(this.customerRouteLayer);
            this.customerRouteLayer = null;
        }
    }

    async planCustomerRoute() {
        const planned = await this.orm.call(
            "isp.subscription",
            "get_customer_route",
            [this.state.picked.map((p) => p.id)],
            { start_site_id: this.state.customerStartId }
        );
        this.state.customerRoute = planned;
        this.state.customerStartId = planned.start_site_id || null;
        if (this.customerRouteLayer) {
            this.map.removeLayer(this.customerRouteLayer);
        }
        this.customerRouteLayer = L.polyline(
            planned.route.map((p) => [p.lat, p.lng]),
            { color: "#0d6efd", weight: 4, dashArray: "8 6", className: "o_isp_customer_route", renderer: this.svg }
        ).addTo(this.map);
    }

    changeCustomerStart(ev) {
        this.state.customerStartId = parseInt(ev.target.value) || null;
        if (this.state.customerRoute) {
            this.planCustomerRoute();
        }
    }

    async printCustomerRoute() {
        const action = await this.orm.call(
            "isp.subscription",
            "action_print_customer_route",
            [this.state.picked.map((p) => p.id)],
            { start_site_id: this.state.customerStartId }
        );
        await this.action.doAction(action);
    }

    /** The printable report (PDF) of the outage's repair route through its sites. */
    async printOutageReport() {
        const outage = this.state.outage;
        const siteIds = outage.kind === "site" ? [outage.siteId] : outage.site_ids;
        const action = await this.orm.call("isp.site", "action_print_outage_route", [siteIds], {
            start_site_id: outage.start_site_id || null,
        });
        await this.action.doAction(action);
    }

    openAffected() {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Affected customers"),
            res_model: "isp.subscription",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [["id", "in", this.state.outage.subscription_ids]],
        });
    }

    changeStart(ev) {
        const startId = parseInt(ev.target.value) || null;
        if (this.state.outage.kind === "area") {
            this.runAreaOutage(startId);
        } else {
            this.runOutage(this.state.outage.siteData, startId);
        }
    }

    async openIncident() {
        const outage = this.state.outage;
        const action =
            outage.kind === "area"
                ? await this.orm.call("isp.subscription", "action_open_area_incident", [outage.polygon])
                : await this.orm.call("isp.site", "action_open_outage_incident", [[outage.siteId]]);
        await this.action.doAction(action);
    }

    printRoute() {
        window.print();
    }

    async toggleHidden() {
        this.state.includeHidden = !this.state.includeHidden;
        await this.load(this.props);
    }

    toggleGroup(group) {
        group.shown = !group.shown;
        this.draw({ keepView: true });
    }

    /** Customer density: the map's subscriptions counted per grid cell of about 1 km. */
    toggleDensity() {
        this.state.density = !this.state.density;
        this.drawDensity();
    }

    drawDensity() {
        if (this.densityLayer) {
            this.map.removeLayer(this.densityLayer);
            this.densityLayer = null;
        }
        if (!this.state.density) {
            return;
        }
        const cell = 0.01; // degrees: about 1.1 km
        const counts = new Map();
        for (const sub of this.data.subscriptions) {
            const key = `${Math.floor(sub.lat / cell)}:${Math.floor(sub.lng / cell)}`;
            counts.set(key, (counts.get(key) || 0) + 1);
        }
        const max = Math.max(1, ...counts.values());
        this.densityLayer = L.layerGroup();
        for (const [key, count] of counts) {
            const [i, j] = key.split(":").map(Number);
            L.rectangle(
                [
                    [i * cell, j * cell],
                    [(i + 1) * cell, (j + 1) * cell],
                ],
                {
                    stroke: false,
                    fillColor: "#6f42c1",
                    fillOpacity: 0.1 + 0.6 * (count / max),
                    interactive: false,
                    className: "o_isp_density_cell",
                    renderer: this.svg,
                }
            ).addTo(this.densityLayer);
        }
        this.densityLayer.addTo(this.map);
    }

    /** Planning: the subscriptions of the search farther than the chosen distance from every access point. */
    async findFar() {
        const km = parseFloat(this.state.farKm);
        if (!(km > 0)) {
            return;
        }
        const domain = this.props.resModel === "isp.subscription" ? this.props.domain : [];
        const ids = await this.orm.call("isp.subscription", "get_far_customers", [km * 1000, domain]);
        this.state.far = { km, ids };
    }

    openFar() {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("Far from access points"),
            res_model: "isp.subscription",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: [["id", "in", this.state.far.ids]],
        });
    }

    toggleSites() {
        this.state.showSites = !this.state.showSites;
        if (this.state.showSites) {
            this.map.addLayer(this.sitesLayer);
        } else {
            this.map.removeLayer(this.sitesLayer);
        }
    }

    /** A new ticket for the customer and this subscription (shown when the helpdesk is installed). */
    newTicket(sub) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: this.data.config.new_ticket,
            views: [[false, "form"]],
            context: { default_partner_id: sub.partner_id, default_isp_subscription_id: sub.id },
        });
    }

    openRecord(resModel, resId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: resModel,
            res_id: resId,
            views: [[false, "form"]],
        });
    }
}

export const ispMapView = {
    type: "isp_map",
    display_name: _t("Map"),
    icon: "fa fa-map-marker",
    multiRecord: true,
    searchMenuTypes: ["filter", "groupBy", "favorite"],
    Controller: IspMapController,
    props: (genericProps) => genericProps,
};

registry.category("views").add("isp_map", ispMapView);
