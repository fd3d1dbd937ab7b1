// The dashboard's charts (ECharts) and live figures (server-sent events). Tables work without this file.
(function () {
  const charts = {};

  // A table wider than the screen scrolls inside a box of its own rather than widening the page.
  function boxTables(root) {
    for (const table of (root || document).querySelectorAll("table")) {
      if (table.parentElement.classList.contains("scroll")) continue;
      const box = document.createElement("div");
      box.className = "scroll";
      table.replaceWith(box);
      box.appendChild(table);
    }
  }
  document.addEventListener("DOMContentLoaded", () => boxTables(document));
  document.addEventListener("htmx:afterSwap", (event) => boxTables(event.target));

  function draw(id, option) {
    const element = document.getElementById(id);
    if (!element || !window.echarts) return;
    charts[id] = charts[id] || echarts.init(element);
    charts[id].setOption(option, true);
  }

  function drawOverview(figures) {
    const flow = figures.flow;
    const series = Object.entries(flow.series).map(([name, data]) => ({ name, type: "line", smooth: true, data }));
    if (flow.shared) {  // a reseller's view: all sellers together, gaps where too few sold to share the minute
      const chart = document.getElementById("flow-chart");
      series.push({ name: (chart && chart.dataset.sharedLabel) || "all sellers", type: "line", smooth: true,
                    data: flow.shared, lineStyle: { type: "dashed" }, connectNulls: false });
    }
    draw("flow-chart", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 16, top: 32, bottom: 24 },
      xAxis: { type: "category", data: flow.minutes }, yAxis: { type: "value", minInterval: 1 }, series,
    });
    draw("funnel-chart", {
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["40%", "70%"],
                 data: Object.entries(figures.statuses).map(([name, value]) => ({ name, value })) }],
    });
    const tiles = {
      orders: Object.values(figures.statuses).reduce((a, b) => a + b, 0),
      out_of_stock: figures.health.out_of_stock, below_safety: figures.health.below_safety,
      lag_p99: figures.lag.p99 === null ? "–" : figures.lag.p99, exceptions: figures.exceptions,
    };
    for (const [key, value] of Object.entries(tiles)) {
      const cell = document.querySelector(`[data-figure="${key}"]`);
      if (cell) cell.textContent = value;
    }
  }

  function drawHeatmap(heat) {
    const max = Math.max(1, ...heat.cells.map((c) => c[2]));
    draw("heat-chart", {
      tooltip: { position: "top" }, grid: { left: 170, right: 20, top: 10, bottom: 130 },
      xAxis: { type: "category", data: heat.nodes, axisLabel: { rotate: 30 } },
      yAxis: { type: "category", data: heat.skus, inverse: true },
      visualMap: { min: 0, max, calculable: true, orient: "horizontal", left: "center", bottom: 0 },
      series: [{ type: "heatmap", data: heat.cells, label: { show: heat.cells.length < 200 } }],
    });
  }

  function drawProfit(profit) {
    const element = document.getElementById("profit-chart");
    const keys = profit.rows.map((r) => `${r.key === null ? "—" : r.key} ${r.currency}`);
    const series = (name, figure) => ({ name, type: "bar", data: profit.rows.map((r) => r[figure] / (profit.scales[r.currency] || 100)) });  // minor units → the currency's own
    draw("profit-chart", {
      tooltip: { trigger: "axis" }, legend: {}, grid: { left: 80, right: 20, bottom: 60 },
      xAxis: { type: "category", data: keys, axisLabel: { rotate: keys.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: [series(element.dataset.revenue, "revenue"), series(element.dataset.profit, "gross_profit")],
    });
  }

  function read(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const figures = read("figures");
    if (figures) {
      drawOverview(figures);
      const state = document.getElementById("live-state");
      const source = new EventSource("/live");
      source.addEventListener("figures", (event) => {
        drawOverview(JSON.parse(event.data));
        state.dataset.live = "on";
        state.querySelector("span").textContent = new Date().toLocaleTimeString(document.documentElement.lang);
      });
    }
    const profit = read("profit");
    if (profit) drawProfit(profit);
    const heat = read("heat");
    if (heat) drawHeatmap(heat);
    window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  });

  // Bulk work on the orders page: how many are chosen, every order of the page at once, a question before a cancel.
  document.addEventListener("DOMContentLoaded", () => {
    const bulk = document.getElementById("bulk");
    if (!bulk) return;
    const boxes = () => [...document.querySelectorAll('input[name=order][form=bulk]')];
    const count = () => { bulk.querySelector("[data-chosen]").textContent = boxes().filter((b) => b.checked).length; };
    document.addEventListener("change", (event) => {
      if (event.target.matches("[data-choose-all]")) boxes().forEach((b) => { b.checked = event.target.checked; });
      count();
    });
    bulk.addEventListener("submit", (event) => {
      const asked = event.submitter && event.submitter.dataset.confirm;
      if (asked && !window.confirm(asked)) event.preventDefault();
    });
    count();
  });
})();
