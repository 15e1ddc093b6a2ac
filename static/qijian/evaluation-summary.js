// Quarterly evaluation summary: satisfaction and overdue follow-ups per department.
// Data come from a JSON island (CSP forbids inline scripts); a department below the sample size has no bar.
(function () {
  "use strict";
  function bars(box, names, values, name, max) {
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 120, right: 30, top: 20, bottom: 30 },
      xAxis: { type: "value", name: name, min: 0, max: max },
      yAxis: { type: "category", data: names, inverse: true },
      series: [{ type: "bar", name: name, data: values, itemStyle: { color: "#206bc4" }, label: { show: true, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function draw() {
    var island = document.getElementById("qj-summary-data");
    if (!island || typeof echarts === "undefined") { return; }
    var data = JSON.parse(island.textContent);
    var satisfaction = document.getElementById("qj-summary-satisfaction-chart");
    var overdue = document.getElementById("qj-summary-overdue-chart");
    if (satisfaction) { bars(satisfaction, data.departments, data.satisfaction, "满意度均分", 5); }
    if (overdue) { bars(overdue, data.departments, data.overdue, "逾期未回访", null); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
