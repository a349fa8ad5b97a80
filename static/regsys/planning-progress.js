/* Planning progress dashboard (inspections/planning/progress.html): ECharts from the JSON in #chart-data. */
(function () {
  "use strict";
  const source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  const data = JSON.parse(source.textContent);
  const month = echarts.init(document.getElementById("chart-month"));
  month.setOption({
    tooltip: {trigger: "axis"}, legend: {top: 0, data: ["计划检查", "按计划完成", "全部已完成检查"]},
    grid: {left: 40, right: 16, bottom: 30, top: 36},
    xAxis: {type: "category", data: data.months}, yAxis: {type: "value", minInterval: 1},
    series: [
      {name: "计划检查", type: "bar", data: data.planned},
      {name: "按计划完成", type: "bar", data: data.done},
      {name: "全部已完成检查", type: "line", data: data.inspections},
    ],
  });
  const kind = echarts.init(document.getElementById("chart-kind"));
  kind.setOption({
    tooltip: {trigger: "axis"}, grid: {left: 90, right: 16, bottom: 20, top: 10},
    xAxis: {type: "value", minInterval: 1}, yAxis: {type: "category", data: data.kinds},
    series: [{name: "计划", type: "bar", data: data.kind_planned}, {name: "已完成", type: "bar", data: data.kind_done}],
  });
  window.addEventListener("resize", function () { month.resize(); kind.resize(); });
})();
