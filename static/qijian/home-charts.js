// Office dashboard: the grade distribution chart. Data come from a JSON island (CSP forbids inline scripts).
(function () {
  "use strict";
  function draw() {
    var island = document.getElementById("qj-grade-data");
    var box = document.getElementById("qj-grade-chart");
    if (!island || !box || typeof echarts === "undefined") { return; }
    var grades = JSON.parse(island.textContent);
    var names = Object.keys(grades);
    var chart = echarts.init(box);
    chart.setOption({
      tooltip: { trigger: "item" },
      xAxis: { type: "category", data: names },
      yAxis: { type: "value", name: "企业数" },
      series: [{ type: "bar", data: names.map(function (k) { return grades[k]; }), itemStyle: { color: "#206bc4" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
