// Draws the pages' charts from the JSON embedded in them: the pages make no API calls (the
// API takes bearer tokens only), and the CSP allows no inline script. Every name a chart
// shows comes from the server in Chinese; each chart has its figures as a table beside it.
(function () {
  "use strict";
  if (typeof Chart === "undefined") {
    return;
  }
  var styles = getComputedStyle(document.documentElement);
  var line = styles.getPropertyValue("--accent").trim() || "#1f6feb";
  var guide = styles.getPropertyValue("--guide").trim() || "#d08700";

  function embedded(id) {
    var source = document.getElementById(id);
    return source ? JSON.parse(source.textContent) : null;
  }

  function yuan(value) {
    return Number(value).toLocaleString("zh-CN");
  }

  // Daily closes (or recent trades) against the guide price, one chart per instrument.
  (embedded("chart-data") || []).forEach(function (one) {
    var canvas = document.getElementById("chart-" + one.code);
    if (!canvas || one.prices.length === 0) {
      return;
    }
    var names = one.names || {};
    var datasets = [{
      label: (one.basis === "daily_close" ? names.price : names.trade) || "",
      data: one.prices.map(Number),
      borderColor: line,
      backgroundColor: line,
      borderWidth: 2,
      pointRadius: one.prices.length > 40 ? 0 : 3,
      tension: 0
    }];
    if (one.guide !== null) {
      datasets.push({
        label: names.guide || "",
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
          y: { ticks: { callback: yuan } }
        }
      }
    });
  });

  // Seller county → buyer county, as wide as the money that moved (chartjs-chart-sankey).
  var flows = embedded("flow-data");
  var flowCanvas = document.getElementById("flow-chart");
  if (flows && flowCanvas && flows.flows.length > 0) {
    new Chart(flowCanvas, {
      type: "sankey",
      data: {
        datasets: [{
          data: flows.flows.map(function (f) {
            return { from: f.from, to: f.to, flow: Number(f.flow) };
          }),
          labels: flows.labels,
          colorFrom: function () { return line; },
          colorTo: function () { return guide; },
          colorMode: "gradient",
          size: "max"
        }]
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: function (context) {
                var item = context.raw;
                return flows.labels[item.from] + " → " + flows.labels[item.to] + "：" +
                  yuan(item.flow) + " " + flows.unit;
              }
            }
          }
        }
      }
    });
  }

  // Settlements opened each week, stacked by the state they are in now.
  var weeks = embedded("settlement-weeks-data");
  var weeksCanvas = document.getElementById("settlement-weeks-chart");
  if (weeks && weeksCanvas) {
    new Chart(weeksCanvas, {
      type: "bar",
      data: {
        labels: weeks.labels,
        datasets: weeks.datasets.map(function (set) {
          return { label: set.label, data: set.data, backgroundColor: set.colour };
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom" } },
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } }
        }
      }
    });
  }
})();
