/** @odoo-module **/
// Copyright 2026 ISP Odoo Contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";

// The dashboard opens with its figures; the "Suspended" figure opens the list of suspended subscriptions.
registry.category("web_tour.tours").add("isp_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard shows its figures",
            trigger: ".o_isp_dashboard .o_isp_figure_mrr .o_isp_figure_value",
        },
        {
            content: "Open the suspended subscriptions",
            trigger: ".o_isp_dashboard .o_isp_figure_suspended",
            run: "click",
        },
        {
            content: "The list of subscriptions opens",
            trigger: ".o_list_view .o_data_row",
        },
    ],
});
