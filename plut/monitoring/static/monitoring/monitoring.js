/* Monitoring dashboard: a choropleth of the children of the shown region (Leaflet, no tiles) where a
 * click drills down, and the figures over time (Chart.js). Data from the monitoring JSON endpoints. */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "id";
  var fmt = new Intl.NumberFormat(lang === "en" ? "en-GB" : "id-ID");
  var RAMP = ["#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"];

  function getJson(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  function colour(value, max) {
    if (value === null || value === undefined) { return "#d9d9d9"; }
    if (!value || !max) { return "#f7fcf5"; }
    return RAMP[Math.min(RAMP.length - 1, Math.floor((value / max) * RAMP.length))];
  }

  function initMap() {
    var el = document.getElementById("monitoring-map");
    if (!el || typeof L === "undefined") { return; }
    var map = L.map(el, { zoomSnap: 0.25, attributionControl: false });
    map.setView([0.0, 111.3], 7);
    getJson(el.dataset.url).then(function (data) {
      var max = 0;
      data.features.forEach(function (f) { max = Math.max(max, f.properties.n || 0); });
      var layer = L.geoJSON(data, {
        style: function (f) {
          var p = f.properties;
          return {
            color: p.is_border ? "#b2182b" : "#555", weight: p.is_border ? 2.5 : 1,
            fillColor: colour(p.n, max), fillOpacity: 0.85,
            className: "region region-" + p.code.replace(/\./g, "-"),
          };
        },
        onEachFeature: function (f, l) {
          var p = f.properties;
          var text = p.n === null ? el.dataset.labelOutside : fmt.format(p.n) + " " + el.dataset.labelEnterprises;
          var tip = document.createElement("div");
          var strong = document.createElement("strong");
          strong.textContent = p.name;
          tip.appendChild(strong);
          tip.appendChild(document.createTextNode(" " + text));
          l.bindTooltip(tip, { sticky: true });
          if (p.n !== null) { l.on("click", function () { window.location.href = p.url; }); }
        },
      }).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
      el.dataset.loaded = "1";
    }).catch(function () { el.dataset.loaded = "error"; });
  }

  function initChart() {
    var canvas = document.getElementById("monitoring-chart");
    if (!canvas || typeof Chart === "undefined") { return; }
    getJson(canvas.dataset.url).then(function (s) {
      new Chart(canvas, {
        type: "line",
        data: {
          labels: s.labels,
          datasets: [
            { label: canvas.dataset.labelSales, data: s.sales_idr, yAxisID: "y", borderColor: "#1b9e77" },
            { label: canvas.dataset.labelN, data: s.n, yAxisID: "y1", borderColor: "#d95f02" },
          ],
        },
        options: {
          animation: false, maintainAspectRatio: false,
          scales: {
            y: { position: "left", ticks: { callback: function (v) { return fmt.format(v); } } },
            y1: { position: "right", grid: { drawOnChartArea: false } },
          },
        },
      });
    });
  }

  initMap();
  initChart();
})();
