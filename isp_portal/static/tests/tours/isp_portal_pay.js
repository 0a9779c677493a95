/** @odoo-module **/
// Copyright 2026 ISP Odoo Contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

// A suspended customer sees their service and usage, pays the overdue invoice with the demo
// provider and sees the service active again. Started on the service page
// (tests/test_payment_tour.py), on a desktop and on a 375-px-wide phone.

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("isp_portal_pay", {
    steps: () => [
        {
            content: "The service is suspended for the unpaid invoice",
            trigger: ".o_isp_suspension",
        },
        {
            content: "The amount due is shown",
            trigger: ".o_isp_payment .o_isp_amount_due",
        },
        {
            content: "See the usage",
            trigger: "a.o_isp_usage_link",
            run: "click",
        },
        {
            content: "The usage chart is there",
            trigger: "svg.o_isp_usage_chart",
        },
        {
            content: "Back to the service",
            trigger: ".o_portal_submenu a[href^='/my/services/']",
            run: "click",
        },
        {
            content: "Pay now: the oldest unpaid invoice",
            trigger: "a.o_isp_pay_now",
            run: "click",
        },
        {
            content: "The invoice says paying reconnects the service",
            trigger: ".o_isp_invoice_service.alert-warning",
        },
        {
            content: "Open the payment form",
            trigger: "a[data-bs-target='#pay_with']",
            run: "click",
        },
        {
            content: "Choose the demo provider (when it is not the only one)",
            trigger: "#pay_with.show",
            run() {
                const radio = document.querySelector(
                    "#pay_with input[name='o_payment_radio'][data-provider-code='demo']"
                );
                if (radio && !radio.checked) {
                    radio.click();
                }
            },
        },
        {
            content: "Enter the demo card",
            trigger: "#pay_with #customer_input:not(:disabled)",
            run: "edit 4111 1111 1111 1111",
        },
        {
            content: "Pay",
            trigger: "#pay_with button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
        },
        {
            content: "Back on the invoice: paid, and the service is active again",
            trigger: ".o_isp_invoice_service.alert-success",
            timeout: 20000,
        },
        {
            content: "Open the service",
            trigger: ".o_isp_invoice_service a.o_isp_service_link",
            run: "click",
        },
        {
            content: "The service page: active, nothing to pay",
            trigger: ".o_isp_nothing_due",
        },
        {
            content: "No suspension notice any more",
            trigger: "body:not(:has(.o_isp_suspension))",
        },
    ],
});
