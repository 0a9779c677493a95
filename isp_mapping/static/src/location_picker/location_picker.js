/* global L */
import { Component, onMounted, onPatched, onWillStart, onWillUnmount, useRef } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";

/**
 * A small map on a form: click it to set the record's latitude and longitude.
 *
 *     <widget name="isp_location_picker" lat_field="latitude" lng_field="longitude"/>
 */
export class IspLocationPicker extends Component {
    static template = "isp_mapping.LocationPicker";
    static props = {
        ...standardWidgetProps,
        latField: { type: String },
        lngField: { type: String },
    };

    setup() {
        this.orm = useService("orm");
        this.mapRef = useRef("map");
        onWillStart(async () => {
            this.config = await this.orm.call("isp.site", "get_map_config", []);
        });
        onMounted(() => this.createMap());
        onPatched(() => this.placeMarker());
        onWillUnmount(() => this.map && this.map.remove());
    }

    get location() {
        const lat = this.props.record.data[this.props.latField];
        const lng = this.props.record.data[this.props.lngField];
        return lat || lng ? [lat, lng] : null;
    }

    createMap() {
        this.map = L.map(this.mapRef.el, { minZoom: 2, maxZoom: 19 });
        if (this.config.tiles_url) {
            L.tileLayer(this.config.tiles_url, { maxZoom: 19, attribution: this.config.tiles_attribution }).addTo(
                this.map
            );
        }
        const start = this.location || this.config.center;
        this.map.setView(start || [0, 0], start ? 15 : 2);
        this.map.on("click", (ev) => this.onClick(ev));
        this.placeMarker();
    }

    placeMarker() {
        if (!this.map) {
            return;
        }
        const location = this.location;
        if (this.marker) {
            this.map.removeLayer(this.marker);
            this.marker = null;
        }
        if (location) {
            this.marker = L.marker(location, {
                icon: L.divIcon({ className: "o_isp_marker o_isp_marker_green", html: "", iconSize: [16, 16] }),
            }).addTo(this.map);
        }
    }

    async onClick(ev) {
        if (this.props.readonly) {
            return;
        }
        const round = (value) => Math.round(value * 1e7) / 1e7;
        await this.props.record.update({
            [this.props.latField]: round(ev.latlng.lat),
            [this.props.lngField]: round(L.Util.wrapNum(ev.latlng.lng, [-180, 180], true)),
        });
        this.placeMarker();
    }
}

export const ispLocationPicker = {
    component: IspLocationPicker,
    extractProps: ({ attrs }) => ({
        latField: attrs.lat_field || "latitude",
        lngField: attrs.lng_field || "longitude",
    }),
};

registry.category("view_widgets").add("isp_location_picker", ispLocationPicker);
