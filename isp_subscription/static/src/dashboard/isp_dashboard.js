/** @odoo-module **/
// Copyright 2026 ISP Odoo Contributors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { Component, onMounted, onWillStart, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { formatFloat, formatInteger, formatMonetary } from "@web/views/fields/formatters";

/**
 * The ISP dashboard: key figures from isp.dashboard.get_kpis (each opens its list) and
 * two charts (MRR over twelve months, subscriptions by state) drawn with Odoo's Chart.js.
 */
export class IspDashboard extends Component {
    static template = "isp_subscription.IspDashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        this.mrrCanvas = useRef("mrrChart");
        this.statesCanvas = useRef("statesChart");
        this.charts = [];
        onWillStart(async () => {
            const [data] = await Promise.all([
                this.orm.call("isp.dashboard", "get_kpis", []),
                loadBundle("web.chartjs_lib"),
            ]);
            this.state.data = data;
        });
        onMounted(() => this.renderCharts());
        onWillUnmount(() => this.charts.forEach((chart) => chart.destroy()));
    }

    format(figure) {
        if (figure.kind === "money") {
            return formatMonetary(figure.value, { currencyId: this.state.data.currency_id, digits: [16, 0] });
        }
        if (figure.kind === "percent") {
            return `${formatFloat(figure.value, { digits: [16, 1] })} %`;
        }
        return formatInteger(figure.value);
    }

    get refreshedAt() {
        const value = this.state.data.reports_refreshed_at;
        return value ? formatDateTime(deserializeDateTime(value)) : _t("never");
    }

    async refreshReports() {
        await this.orm.call("isp.dashboard", "refresh_reports", []);
        await this.action.doAction("isp_subscription.action_isp_dashboard", { clearBreadcrumbs: true });
    }

    openFigure(figure) {
        return this.action.doAction(figure.action);
    }

    renderCharts() {
        const data = this.state.data;
        if (!data || !window.Chart) {
            return;
        }
        const months = data.charts.mrr;
        if (this.mrrCanvas.el) {
            this.charts.push(
                new window.Chart(this.mrrCanvas.el, {
                    type: "bar",
                    data: {
                        labels: months.map((row) => row.month.slice(0, 7)),
                        datasets: [
                            { type: "line", label: _t("MRR"), data: months.map((row) => row.mrr) },
                            { label: _t("Gained"), data: months.map((row) => row.gained) },
                            { label: _t("Lost"), data: months.map((row) => row.lost) },
                        ],
                    },
                    options: { maintainAspectRatio: false, animation: false },
                })
            );
        }
        if (this.statesCanvas.el) {
            const states = data.charts.states;
            this.charts.push(
                new window.Chart(this.statesCanvas.el, {
                    type: "doughnut",
                    data: {
                        labels: [_t("Active"), _t("Suspended")],
                        datasets: [{ data: [states.active, states.suspended] }],
                    },
                    options: { maintainAspectRatio: false, animation: false },
                })
            );
        }
    }
}

registry.category("actions").add("isp_subscription.dashboard", IspDashboard);
