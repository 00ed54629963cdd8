// Draws the dashboard's charts from the counts the page already shows in tables (progressive
// enhancement: without JavaScript the tables remain, and nothing here touches navigation or history).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof window.Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var palette = ["#b3261e", "#1a7f37", "#0969da", "#bf8700", "#8250df", "#cf222e", "#57606a",
                 "#1b7c83", "#953800", "#6639ba", "#116329", "#a40e26", "#0550ae", "#7d4e00"];
  function draw(id, series, kind) {
    var canvas = document.getElementById(id);
    if (!canvas || !series || !series.values.length) { return; }
    new window.Chart(canvas, {
      type: kind,
      data: { labels: series.labels, datasets: [{ data: series.values,
        backgroundColor: series.values.map(function (_, i) { return palette[i % palette.length]; }) }] },
      options: { animation: false, responsive: true, plugins: { legend: { display: kind === "doughnut", position: "bottom" } },
                 scales: kind === "bar" ? { y: { beginAtZero: true, ticks: { precision: 0 } } } : {} }
    });
  }
  draw("chart-state", data.state, "doughnut");
  draw("chart-unit", data.unit, "bar");
  draw("chart-award", data.award, "bar");
})();
