import { registry } from "@web/core/registry";

// Coordinates set by clicking the map on the subscription's form.
registry.category("web_tour.tours").add("isp_mapping_picker_tour", {
    steps: () => [
        {
            content: "Open the service location",
            trigger: ".o_notebook a[name='location']",
            run: "click",
        },
        {
            content: "Click the map, away from the current place",
            trigger: ".o_isp_location_picker_map.leaflet-container",
            run() {
                const rect = this.anchor.getBoundingClientRect();
                const options = { bubbles: true, clientX: rect.left + 30, clientY: rect.top + 30, button: 0 };
                this.anchor.dispatchEvent(new MouseEvent("click", options));
            },
        },
        {
            content: "The latitude follows the click (north-west of the old place)",
            trigger: ".o_field_widget[name='latitude'] input:value(/^-7\\.79/)",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
