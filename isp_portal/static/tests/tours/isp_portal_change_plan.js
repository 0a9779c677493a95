/** @odoo-module **/
/* Copyright 2026 ISP Odoo Contributors
 * License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl). */

import {registry} from "@web/core/registry";

// A customer upgrades their plan from the portal, seeing the prorated charge before confirming,
// then looks at their usage chart. Run on a desktop and on a 375-px-wide screen.
registry.category("web_tour.tours").add("isp_portal_change_plan", {
    url: "/my",
    steps: () => [
        {
            content: "Open My services from the portal home",
            trigger: 'a[href="/my/services"]',
            run: "click",
        },
        {
            content: "Open the service",
            trigger: ".o_isp_service_card a.btn-primary",
            run: "click",
        },
        {
            content: "Change plan",
            trigger: "a.o_isp_change_plan_link",
            run: "click",
        },
        {
            content: "The plans offered: choose the faster one",
            trigger: '.o_isp_plan[data-plan-name="Test 50 Mbps"] a.o_isp_choose_plan',
            run: "click",
        },
        {
            content: "The preview shows the prorated charge before confirming",
            trigger: ".o_isp_plan_preview .o_isp_preview_difference:not(:empty)",
        },
        {
            content: "Confirm the change",
            trigger: ".o_isp_plan_preview button.o_isp_confirm_plan",
            run: "click",
        },
        {
            content: "The new plan is active",
            trigger: ".o_isp_message:contains(Your new plan is active)",
        },
        {
            content: "The service shows the new plan",
            trigger: "dd:contains(Test 50 Mbps)",
        },
        {
            content: "Open the usage",
            trigger: "a.o_isp_usage_link",
            run: "click",
        },
        {
            content: "The usage chart is drawn",
            trigger: ".o_isp_usage_current svg.o_isp_usage_chart rect",
        },
    ],
});
