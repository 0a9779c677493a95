import { registry } from "@web/core/registry";

// From a customer's popup on the map, a new ticket for that customer and subscription.
registry.category("web_tour.tours").add("isp_helpdesk_mapping_ticket_tour", {
    url: "/odoo/action-isp_mapping.action_isp_customer_map",
    steps: () => [
        {
            content: "Search the customer",
            trigger: ".o_isp_map_view input.o_searchview_input",
            run: "edit Ticket Tour Customer",
        },
        {
            content: "... by customer",
            trigger: ".o_searchview_autocomplete .o_menu_item:contains(Customer)",
            run: "click",
        },
        {
            content: "One subscription left",
            trigger: ".o_isp_total_count[data-count='1']",
        },
        {
            content: "Open its popup",
            trigger: ".o_isp_map_canvas .leaflet-marker-icon.o_isp_marker",
            run: "click",
        },
        {
            content: "New ticket from the popup",
            trigger: ".leaflet-popup-content .o_isp_new_ticket",
            run: "click",
        },
        {
            content: "The ticket form is for that customer",
            trigger: ".o_form_view .o_field_widget[name=partner_id] input:value(Ticket Tour Customer)",
        },
        {
            content: "... and that subscription",
            trigger: ".o_form_view .o_field_widget[name=isp_subscription_id] input:value(SUB/)",
        },
    ],
});
