import { registry } from "@web/core/registry";

// The benchmark's browser half: open the map, wait until every marker is clustered, print the times.
registry.category("web_tour.tours").add("isp_mapping_benchmark_tour", {
    steps: () => [
        {
            content: "Markers drawn and clustered",
            trigger: ".o_isp_map_total.o_isp_map_ready",
            timeout: 60000,
            run() {
                const { serverMs, readyMs } = this.anchor.dataset;
                const count = document.querySelector(".o_isp_total_count").dataset.count;
                console.log(`ISP map benchmark: ${count} subscriptions, data call ${serverMs} ms (browser side), usable after ${readyMs} ms`);
            },
        },
    ],
});
