import { registry } from "@web/core/registry";

const XSS_NAME = "<img src=x onerror=alert(1)>";

// The customer map with the demo ISP: filter, popup (a hostile name shows as text), outage and route.
registry.category("web_tour.tours").add("isp_mapping_tour", {
    url: "/odoo/action-isp_mapping.action_isp_customer_map",
    steps: () => [
        {
            content: "The map shows the demo subscriptions, clustered",
            trigger: ".o_isp_map_view .o_isp_map_canvas .marker-cluster",
        },
        {
            content: "The legend counts the offline demo subscriptions",
            trigger: ".o_isp_legend .o_isp_count_red:not(:contains(/^0$/))",
        },
        {
            content: "Search a customer",
            trigger: ".o_isp_map_view input.o_searchview_input",
            run: "edit onerror",
        },
        {
            content: "... by customer",
            trigger: ".o_searchview_autocomplete .o_menu_item:contains(Customer)",
            run: "click",
        },
        {
            content: "The map follows the search: one subscription left",
            trigger: ".o_isp_total_count[data-count='1']",
        },
        {
            content: "Open its popup",
            trigger: ".o_isp_map_canvas .leaflet-marker-icon.o_isp_marker",
            run: "click",
        },
        {
            content: "The customer's name shows as text, no image was made of it",
            trigger: ".leaflet-popup-content .o_isp_popup_customer",
            run() {
                if (this.anchor.textContent !== XSS_NAME) {
                    throw new Error(`The popup shows ${this.anchor.textContent}`);
                }
                if (document.querySelector(".leaflet-popup-content img, .o_isp_map_view img[src=x]")) {
                    throw new Error("The customer's name was rendered as HTML");
                }
            },
        },
        {
            content: "The popup has the plan, payment and buttons",
            trigger: ".leaflet-popup-content:has(.o_isp_popup_plan):has(.o_isp_popup_payment) .o_isp_open_subscription",
        },
        {
            content: "Back to every subscription",
            trigger: ".o_searchview_facet:contains(onerror) .o_facet_remove",
            run: "click",
        },
        {
            content: "All subscriptions are back",
            trigger: ".o_isp_total_count:not([data-count='1'])",
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group by plan",
            trigger: ".o_group_by_menu .o_menu_item:contains(Plan)",
            run: "click",
        },
        {
            content: "The panel lists the plans",
            trigger: ".o_isp_groups .form-check label:contains(Home 10 Mbps)",
        },
        {
            content: "Hide a plan's subscriptions",
            trigger: ".o_isp_groups .form-check:contains(Home 10 Mbps) input",
            run: "click",
        },
        {
            content: "Close the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Show the customer density",
            trigger: ".o_isp_toggle_density",
            run: "click",
        },
        {
            content: "The density grid is drawn",
            trigger: ".o_isp_map_canvas path.o_isp_density_cell",
        },
        {
            content: "Customers far from any access point",
            trigger: ".o_isp_find_far",
            run: "click",
        },
        {
            content: "The planning answer is shown",
            trigger: ".o_isp_far_result",
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
            content: "The affected customers and the repair route are shown",
            trigger: ".o_isp_outage_panel .o_isp_route_list li:has(a[href*='destination='])",
        },
        {
            content: "The route is drawn on the map",
            trigger: ".o_isp_map_canvas path.o_isp_route",
        },
        {
            content: "Start the route from another point of presence",
            trigger: ".o_isp_route_start:has(option:contains(POP Sleman))",
            async run(helpers) {
                const option = [...this.anchor.options].find((o) => o.textContent.includes("POP Sleman"));
                await helpers.select(option.value);
            },
        },
        {
            content: "The route starts there",
            trigger: ".o_isp_route_list li:first-child:contains(POP Sleman)",
        },
        {
            content: "Draw an area for the outage tool",
            trigger: ".o_isp_draw_start",
            run: "click",
        },
        {
            content: "Click four corners around the customers",
            trigger: ".o_isp_draw_help",
            run() {
                clickMap([0.1, 0.15], [0.9, 0.15], [0.9, 0.9], [0.1, 0.9]);
            },
        },
        {
            content: "The area has four points, drawn as a polygon",
            trigger: ".o_isp_draw_count[data-count='4']",
        },
        {
            content: "The polygon is on the map",
            trigger: ".o_isp_map_canvas path.o_isp_draw_shape",
        },
        {
            content: "Close the area",
            trigger: ".o_isp_draw_finish",
            run: "click",
        },
        {
            content: "The customers inside the area are counted",
            trigger: ".o_isp_outage_panel:contains(drawn area) .o_isp_outage_affected:not([data-count='0'])",
        },
        {
            content: "The area stays drawn",
            trigger: ".o_isp_map_canvas path.o_isp_drawn_area",
        },
        {
            content: "Pick the listed customers for a route",
            trigger: ".o_isp_pick_listed",
            run: "click",
        },
        {
            content: "They are picked",
            trigger: ".o_isp_picked_count:not([data-count='0'])",
        },
        {
            content: "Plan the route through them",
            trigger: ".o_isp_plan_customer_route:enabled",
            run: "click",
        },
        {
            content: "The route through the customers is listed, with navigation links",
            trigger: ".o_isp_customer_route_list li:has(a[href*='destination='])",
        },
        {
            content: "... and drawn",
            trigger: ".o_isp_map_canvas path.o_isp_customer_route",
        },
        {
            content: "Start another area",
            trigger: ".o_isp_draw_start",
            run: "click",
        },
        {
            content: "One point, then Esc abandons it",
            trigger: ".o_isp_draw_help",
            run() {
                clickMap([0.5, 0.5]);
                document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
            },
        },
        {
            content: "Drawing is over",
            trigger: ".o_isp_area_tool:not(:has(.o_isp_draw_help)) .o_isp_draw_start",
        },
    ],
});

/** Click the map at fractions [x, y] of its size (as a user clicks, without dragging). */
function clickMap(...fractions) {
    const canvas = document.querySelector(".o_isp_map_canvas");
    const rect = canvas.getBoundingClientRect();
    for (const [x, y] of fractions) {
        canvas.dispatchEvent(
            new MouseEvent("click", {
                bubbles: true,
                cancelable: true,
                view: window,
                clientX: rect.left + rect.width * x,
                clientY: rect.top + rect.height * y,
            })
        );
    }
}
