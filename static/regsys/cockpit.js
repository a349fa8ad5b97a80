/* The cockpit (reporting/cockpit/cockpit.html): charts from the JSON in #cockpit-chart-data, the per-所 chart's
   indicator select, and sorting of the league table. Clicking a bar opens the records behind it. */
(function () {
  "use strict";

  // Sort the league table by a column (click a header; again to reverse).
  const league = document.getElementById("cockpit-league");
  if (league) {
    league.querySelectorAll("thead th").forEach(function (header, column) {
      header.addEventListener("click", function () {
        const descending = header.getAttribute("aria-sort") !== "descending";
        league.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        const body = league.tBodies[0];
        const rows = Array.from(body.rows);
        const key = function (row) {
          const cell = row.cells[column];
          if (header.dataset.sort === "number") {
            const value = parseFloat(cell.dataset.value);
            return isNaN(value) ? -Infinity : value;
          }
          return cell.textContent.trim();
        };
        rows.sort(function (a, b) {
          const x = key(a), y = key(b);
          const order = typeof x === "number" ? x - y : x.localeCompare(y, "zh-CN");
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  const source = document.getElementById("cockpit-chart-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const charts = [];
  const narrow = function () { return window.innerWidth < 576; };

  function make(id, height) {
    const element = document.getElementById(id);
    if (!element) {
      return null;
    }
    if (height) {
      element.style.height = height + "px";
    }
    const chart = echarts.init(element);
    charts.push(chart);
    return chart;
  }

  function open(urls) {
    return function (params) {
      const url = urls[params.dataIndex];
      if (url) {
        window.location.href = url;
      }
    };
  }

  function shortName(name) {
    const limit = narrow() ? 8 : 14;
    return name.length > limit ? name.slice(0, limit) + "…" : name;
  }

  // (1) each assessed indicator: actual and pro-rata expected as % of the annual target
  const progress = data.progress;
  const progressChart = make("chart-progress", Math.max(220, progress.names.length * 44 + 90));
  if (progressChart) {
    progressChart.setOption({
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}, valueFormatter: function (v) { return v === null ? "—" : v + "%"; }},
      legend: {bottom: 0, data: ["完成率", "按进度应达"]},
      grid: {left: 8, right: 36, top: 8, bottom: 36, containLabel: true},
      xAxis: {type: "value", axisLabel: {formatter: "{value}%"}},
      yAxis: {type: "category", data: progress.names, inverse: true, axisLabel: {formatter: shortName}},
      series: [
        {name: "完成率", type: "bar", barMaxWidth: 18, cursor: "pointer",
         data: progress.actual.map(function (v, i) { return {value: v, itemStyle: {color: progress.colours[i]}}; }),
         label: {show: true, position: "right", formatter: "{c}%", fontSize: 11},
         markLine: {silent: true, symbol: "none", lineStyle: {color: "#198754"}, label: {formatter: "目标", position: "end"}, data: [{xAxis: 100}]}},
        {name: "按进度应达", type: "scatter", symbol: "rect", symbolSize: [4, 22], itemStyle: {color: "#212529"},
         data: progress.expected},
      ],
    });
    progressChart.on("click", {seriesName: "完成率"}, open(progress.urls));
  }

  // (2) one indicator across the 所 (chosen in the select box)
  const unitSelect = document.getElementById("chart-unit-indicator");
  const unitsChart = make("chart-units", Math.max(220, data.units.length * 34 + 90));
  function drawUnits() {
    const chosen = data.per_unit[unitSelect ? Number(unitSelect.value) : 0];
    if (!unitsChart || !chosen) {
      return;
    }
    unitsChart.setOption({
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {bottom: 0, data: ["实际", "按进度应达"]},
      grid: {left: 8, right: 36, top: 24, bottom: 36, containLabel: true},
      xAxis: {type: "value", name: chosen.unit_label, nameLocation: "end", nameGap: 4},
      yAxis: {type: "category", data: data.units, inverse: true, axisLabel: {formatter: shortName}},
      series: [
        {name: "实际", type: "bar", barMaxWidth: 18, cursor: "pointer",
         data: chosen.actual.map(function (v, i) { return {value: v, itemStyle: {color: chosen.colours[i]}}; }),
         label: {show: true, position: "right", fontSize: 11}},
        {name: "按进度应达", type: "scatter", symbol: "rect", symbolSize: [4, 20], itemStyle: {color: "#212529"},
         data: chosen.expected},
      ],
    }, {replaceMerge: ["series"]});
    unitsChart.off("click");
    unitsChart.on("click", {seriesName: "实际"}, open(chosen.urls));
  }
  drawUnits();
  if (unitSelect) {
    unitSelect.addEventListener("change", drawUnits);
  }

  // (3) the quarter trend of the key indicators (% of target; ended quarters from their snapshots)
  const trendChart = make("chart-trend", narrow() ? 300 : 320);
  if (trendChart) {
    trendChart.setOption({
      tooltip: {trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + "%"; }},
      legend: {bottom: 0, type: "scroll", formatter: shortName},
      grid: {left: 8, right: 16, top: 16, bottom: 40, containLabel: true},
      xAxis: {type: "category", data: data.quarters},
      yAxis: {type: "value", axisLabel: {formatter: "{value}%"}},
      series: data.trend.map(function (line) {
        return {name: line.name, type: "line", data: line.values, connectNulls: false, symbolSize: 7};
      }),
    });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
