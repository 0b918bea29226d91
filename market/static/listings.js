// The live panel of a listing or procurement page: every few seconds it asks the page's
// `live` address for the status, the best price, the close (after extensions) and the bid
// count, and writes them into the fields marked data-field. No library, no inline script.
(function () {
  "use strict";
  var panel = document.getElementById("live");
  if (!panel || !window.fetch) { return; }
  var url = panel.getAttribute("data-live");
  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (figures) {
        if (!figures) { return; }
        Object.keys(figures).forEach(function (name) {
          var field = panel.querySelector('[data-field="' + name + '"]');
          if (field) { field.textContent = figures[name]; }
        });
      })
      .catch(function () { /* the next poll tries again */ });
  }
  window.setInterval(refresh, 5000);
}());
