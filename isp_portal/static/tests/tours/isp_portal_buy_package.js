/** @odoo-module **/
// Copyright 2026 ISP Odoo Contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

// A hotspot customer buys a prepaid package from the portal home, pays it with the demo
// provider and sees the new service active at once. Started on /my
// (tests/test_portal_package.py), on a desktop and on a 375-px-wide phone.

import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("isp_portal_buy_package", {
    steps: () => [
        {
            content: "Buy a package, from the portal home",
            trigger: ".o_portal_index_card a[href='/my/packages']",
            run: "click",
        },
        {
            content: "The package's price is shown",
            trigger: ".o_isp_package[data-plan-name='Tour Hotspot Week'] .o_isp_package_price",
        },
        {
            content: "Buy the package",
            trigger: ".o_isp_package[data-plan-name='Tour Hotspot Week'] button.o_isp_buy_package",
            run: "click",
        },
        {
            content: "Its invoice says paying starts the package",
            trigger: ".o_isp_invoice_service .o_isp_invoice_package",
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
            content: "Back on the invoice: paid, and the new service is active",
            trigger: ".o_isp_invoice_service.alert-success",
            timeout: 20000,
        },
        {
            content: "Open the service",
            trigger: ".o_isp_invoice_service a.o_isp_service_link",
            run: "click",
        },
        {
            content: "The service page: nothing to pay",
            trigger: ".o_isp_nothing_due",
        },
        {
            content: "Back to My services",
            trigger: ".o_portal_submenu a[href='/my/services']",
            run: "click",
        },
        {
            content: "The new service is listed, nothing waits for payment any more",
            trigger: ".o_isp_service_card:not(:has(.o_isp_purchases))",
        },
        {
            content: "No purchase waiting",
            trigger: "body:not(:has(.o_isp_purchase))",
        },
    ],
});
