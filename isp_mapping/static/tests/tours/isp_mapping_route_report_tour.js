import { registry } from "@web/core/registry";

// A technician plans a route through the customers of a tower's outage and prints it.
registry.category("web_tour.tours").add("isp_mapping_route_report_tour", {
    url: "/odoo/action-isp_mapping.action_isp_customer_map",
    steps: () => [
        {
            content: "The map is drawn",
            trigger: ".o_isp_map_view .o_isp_map_canvas .marker-cluster",
        },
        {
            content: "Open a tower",
            trigger: ".o_isp_map_canvas .leaflet-marker-icon.o_isp_site_tower",
            run: "click",
        },
        {
            content: "Run the outage tool on it",
            trigger: ".leaflet-popup-content .o_isp_outage",
            run: "click",
        },
        {
            content: "Pick its listed customers",
            trigger: ".o_isp_outage_panel .o_isp_affected_list .o_isp_pick_listed",
            run: "click",
        },
        {
            content: "Plan their route",
            trigger: ".o_isp_pick_panel .o_isp_plan_customer_route:enabled",
            run: "click",
        },
        {
            content: "The route is listed",
            trigger: ".o_isp_customer_route_list li a[href*='destination=']",
        },
        {
            content: "Print it",
            trigger: ".o_isp_customer_route_report",
            run: "click",
        },
        {
            content: "The report lists the stops with their navigation links",
            trigger: ":iframe .o_isp_route_report .o_isp_route_stop a[href*='destination=']",
        },
    ],
});
