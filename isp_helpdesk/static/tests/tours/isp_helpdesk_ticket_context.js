import { registry } from "@web/core/registry";

// An agent opens the ticket of a customer suspended for debt and sees why at once:
// the panel says suspended, gives the reason and the amount overdue.
registry.category("web_tour.tours").add("isp_helpdesk_ticket_context", {
    steps: () => [
        {
            content: "The ticket's form is open on the customer's ticket",
            trigger: ".o_control_panel .o_breadcrumb:contains('No internet since yesterday')",
        },
        {
            content: "The headline says suspended for debt",
            trigger: ".o_isp_ticket_headline .alert-danger:contains('Suspended for debt since')",
        },
        {
            content: "The service is shown suspended",
            trigger: ".o_isp_service_state:contains('Suspended')",
        },
        {
            content: "The reason of the suspension is given",
            trigger: ".o_isp_suspension_reason:contains('Unpaid invoice')",
        },
        {
            content: "The amount overdue is shown",
            trigger: ".o_isp_amount_overdue:contains('184,815')",
        },
        {
            content: "No secret on the page",
            trigger: ".o_form_view:not(:contains('pppoe-s3cr3t')):not(:contains('s3cr3t-nas'))",
        },
    ],
});
