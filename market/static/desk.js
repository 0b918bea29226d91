// Draws each instrument card's price chart from the JSON embedded in the page: the pages
// make no API calls (the API takes bearer tokens only), and the CSP allows no inline script.
// The legend's words come from the canvas (data-price-label, data-guide-label), translated.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var series = JSON.parse(source.textContent);
  var styles = getComputedStyle(document.documentElement);
  var line = styles.getPropertyValue("--accent").trim() || "#1f6feb";
  var guide = styles.getPropertyValue("--guide").trim() || "#d08700";

  series.forEach(function (one) {
    var canvas = document.getElementById("chart-" + one.code);
    if (!canvas || one.prices.length === 0) {
      return;
    }
    var datasets = [{
      label: canvas.dataset.priceLabel || "",
      data: one.prices.map(Number),
      borderColor: line,
      backgroundColor: line,
      borderWidth: 2,
      pointRadius: 3,
      tension: 0
    }];
    if (one.guide !== null) {
      datasets.push({
        label: canvas.dataset.guideLabel || "",
        data: one.prices.map(function () { return Number(one.guide); }),
        borderColor: guide,
        borderDash: [6, 4],
        borderWidth: 1,
        pointRadius: 0
      });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: one.labels, datasets: datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } },
          y: { ticks: { callback: function (v) { return Number(v).toLocaleString("zh-CN"); } } }
        }
      }
    });
  });
})();
