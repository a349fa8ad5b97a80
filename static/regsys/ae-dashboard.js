/* AE quota dashboard (monitoring/dashboard.html): ECharts from the JSON in #ae-chart-data.
   Clicking a bar opens the records behind it (the drill-down list). */
(function () {
  "use strict";
  const source = document.getElementById("ae-chart-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const charts = [];
  const narrow = function () { return window.innerWidth < 576; };

  function open(urls) {
    return function (params) {
      const url = urls[params.dataIndex];
      if (url) {
        window.location.href = url;
      }
    };
  }

  function make(id) {
    const element = document.getElementById(id);
    if (!element) {
      return null;
    }
    const chart = echarts.init(element);
    charts.push(chart);
    return chart;
  }

  const month = make("chart-month");
  if (month) {
    month.setOption({
      tooltip: {trigger: "axis"},
      legend: {top: 0, data: ["当月报告", "累计报告", "按时间进度应累计"]},
      grid: {left: 8, right: 8, bottom: 8, top: 40, containLabel: true},
      xAxis: {type: "category", data: data.months, axisLabel: {interval: narrow() ? 1 : 0}},
      yAxis: {type: "value", minInterval: 1},
      series: [
        {name: "当月报告", type: "bar", data: data.month_reports, cursor: "pointer"},
        {name: "累计报告", type: "line", data: data.month_cumulative},
        {name: "按时间进度应累计", type: "line", data: data.month_expected, lineStyle: {type: "dashed"}, symbol: "none"},
      ],
    });
    month.on("click", {seriesName: "当月报告"}, open(data.month_urls));
  }

  const unit = make("chart-unit");
  if (unit) {
    unit.setOption({
      tooltip: {trigger: "axis"},
      legend: {top: 0, data: ["报告数", "截至统计日应完成"]},
      grid: {left: 8, right: 16, bottom: 8, top: 40, containLabel: true},
      xAxis: {type: "value", minInterval: 1},
      yAxis: {type: "category", data: data.units, inverse: true},
      series: [
        {name: "报告数", type: "bar", data: data.unit_reports, cursor: "pointer"},
        {name: "截至统计日应完成", type: "bar", data: data.unit_expected},
      ],
    });
    unit.on("click", {seriesName: "报告数"}, open(data.unit_urls));
  }

  const kind = make("chart-kind");
  if (kind) {
    kind.setOption({
      tooltip: {trigger: "item", formatter: "{b}：{c}（{d}%）"},
      legend: {bottom: 0},
      series: [{
        name: "报告来源", type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
        label: {formatter: "{b}\n{c}"},
        data: data.kinds.map(function (name, i) {
          return {name: name, value: data.kind_counts[i], url: data.kind_urls[i]};
        }).filter(function (item) { return item.value > 0; }),
      }],
    });
    kind.on("click", function (params) {
      if (params.data && params.data.url) {
        window.location.href = params.data.url;
      }
    });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
