// The index page's charts, drawn by Apache ECharts (assets/echarts.min.js)
// from the JSON in #kg-charts. Notice text reaches the charts as data only:
// ECharts draws it on a canvas, and tooltips here are plain-text formatters.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-charts").textContent);
  var FONT = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", sans-serif';
  window.kgCharts = {};

  function draw(id, option) {
    var element = document.getElementById(id);
    var chart = echarts.init(element, null, { renderer: "canvas" });
    option.textStyle = { fontFamily: FONT };
    option.animation = false;
    option.tooltip = option.tooltip || { trigger: "axis", renderMode: "richText" };
    chart.setOption(option);
    window.kgCharts[id] = chart;
  }

  function bars(id, title, names, series) {
    var height = Math.max(380, 60 + names.length * 22);
    document.getElementById(id).style.height = height + "px";
    draw(id, {
      title: { text: title, textStyle: { fontSize: 14 } },
      legend: { top: 24 },
      grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, inverse: true,
               axisLabel: { width: 220, overflow: "truncate" } },
      series: series.map(function (s) {
        return { type: "bar", name: s.name, data: s.values };
      }),
    });
  }

  bars("kg-chart-categories", "各类别的问题 problems per category",
       data.categories.names, [
         { name: "问题 problems", values: data.categories.problems },
         { name: "通报 notices", values: data.categories.notices },
       ]);
  bars("kg-chart-regulations", "引用最多的法规制度 regulations by notices citing them",
       data.regulations.names, [
         { name: "通报数 notices", values: data.regulations.notices },
       ]);

  // One row per notice; the inspection a line from its start to its end,
  // the feedback and the publication as points.
  var rows = data.timeline.ids;
  var names = data.timeline.notices;
  var inspection = [], feedback = [], issued = [];
  data.timeline.rows.forEach(function (row, index) {
    var name = rows[index];
    if (row.start || row.end) {
      inspection.push([row.start || row.end, name], [row.end || row.start, name], "-");
    }
    if (row.feedback) feedback.push([row.feedback, name]);
    if (row.issued) issued.push([row.issued, name]);
  });
  var timeline = document.getElementById("kg-chart-timeline");
  timeline.style.height = Math.max(380, 90 + rows.length * 22) + "px";
  timeline.style.width = "1292px";
  var point = { type: "line", lineStyle: { opacity: 0 }, symbolSize: 9,
                showSymbol: true, connectNulls: false };
  draw("kg-chart-timeline", {
    title: { text: "巡察、反馈、发布时间线 inspection, feedback, publication",
             textStyle: { fontSize: 14 } },
    tooltip: { trigger: "item", renderMode: "richText" },
    legend: { top: 24 },
    grid: { left: 8, right: 24, top: 56, bottom: 8, containLabel: true },
    xAxis: { type: "time" },
    yAxis: { type: "category", data: rows, inverse: true,
             axisLabel: { formatter: function (value, index) { return names[index]; } } },
    series: [
      { type: "line", name: "巡察 inspection", data: inspection, symbolSize: 4,
        lineStyle: { width: 6 }, connectNulls: false },
      Object.assign({ name: "反馈 feedback", data: feedback, symbol: "triangle" }, point),
      Object.assign({ name: "发布 publication", data: issued, symbol: "circle" }, point),
    ],
  });
  window.kgChartsReady = true;
})();
