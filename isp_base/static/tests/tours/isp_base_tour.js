import { registry } from "@web/core/registry";

// A staff member opens the ISP app and finds the demo ISP's customers, plans and sites.
registry.category("web_tour.tours").add("isp_base_tour", {
    url: "/odoo",
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open the ISP app",
            trigger: ".o-dropdown--menu .o_app[data-menu-xmlid='isp_base.menu_isp_root']",
            run: "click",
        },
        {
            // billing staff and managers land on the dashboard (isp_subscription), others on the customers
            content: "Go to the customers",
            trigger: ".o_menu_sections a[data-menu-xmlid='isp_base.menu_isp_customers']",
            run: "click",
        },
        {
            content: "Customers are listed with their customer number",
            trigger: ".o_list_view .o_data_row td[name='isp_customer_number']:contains('C0')",
        },
        {
            content: "Go to the plans",
            trigger: ".o_menu_sections a[data-menu-xmlid='isp_base.menu_isp_plans']",
            run: "click",
        },
        {
            content: "The demo plans are there",
            trigger: ".o_list_view .o_data_row:contains('Home 10 Mbps')",
        },
        {
            content: "Open the Network menu",
            trigger: ".o_menu_sections button[data-menu-xmlid='isp_base.menu_isp_network']",
            run: "click",
        },
        {
            content: "Go to the sites",
            trigger: ".o-dropdown--menu a[data-menu-xmlid='isp_base.menu_isp_sites']",
            run: "click",
        },
        {
            content: "The points of presence are there",
            trigger: ".o_list_view .o_data_row:contains('POP Jogja Kota')",
        },
    ],
});
