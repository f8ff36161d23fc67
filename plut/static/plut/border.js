/* The border dashboard: dependency index by district (Leaflet), PLBN posts and markets, monthly trends
 * of the indicators and the Bapanas staple prices (Chart.js). Data from the border JSON endpoints; no
 * tiles and no CDN. Labels come from data-* attributes (translated by Django). */
(function () {
  "use strict";

  var RAMP = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];  // ColorBrewer Reds, 0..100 %
  var NONE = "#d9d9d9";
  var COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + url); } return r.json(); });
  }

  function colour(pct) {
    if (pct === null || pct === undefined) { return NONE; }
    return RAMP[Math.min(RAMP.length - 1, Math.floor(pct / 20))];
  }

  function initMap() {
    var el = document.getElementById("border-map");
    if (!el || typeof L === "undefined") { return; }
    var t = el.dataset;
    var map = L.map(el, { zoomSnap: 0.25, minZoom: 6, maxZoom: 13, attributionControl: false });
    map.setView([1.0, 110.8], 8);
    getJson(t.districtsUrl).then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (f) {
          return { color: "#555", weight: 1, fillColor: colour(f.properties.dependency_pct), fillOpacity: 0.8 };
        },
        onEachFeature: function (f, l) {
          var p = f.properties;
          var v = p.dependency_pct === null ? t.labelNone : p.dependency_pct.toFixed(2) + " %";
          l.bindTooltip("<strong>" + escapeHtml(p.name) + "</strong> (" + escapeHtml(p.code) + ")<br>" +
            escapeHtml(t.labelDependency) + ": " + escapeHtml(v), { sticky: true });
        },
      }).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
      el.dataset.loaded = "true";
      return getJson(t.postsUrl);
    }).then(function (posts) {
      L.geoJSON(posts, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 8, color: "#08306b", weight: 2, fillColor: "#2171b5", fillOpacity: 0.9 });
        },
        onEachFeature: function (f, l) { l.bindTooltip(escapeHtml(t.labelPost) + ": " + escapeHtml(f.properties.name)); },
      }).addTo(map);
      return getJson(t.marketsUrl);
    }).then(function (markets) {
      L.geoJSON(markets, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 4, color: "#000", weight: 1, fillColor: "#ffd92f", fillOpacity: 1 });
        },
        onEachFeature: function (f, l) { l.bindTooltip(escapeHtml(t.labelMarket) + ": " + escapeHtml(f.properties.name)); },
      }).addTo(map);
    }).catch(function () { el.dataset.error = "true"; });
  }

  function lineChart(canvas, labels, datasets, unit) {
    if (canvas.chart) { canvas.chart.destroy(); }
    canvas.chart = new Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: datasets },
      options: { responsive: true, maintainAspectRatio: false, spanGaps: true,
        plugins: { legend: { position: "bottom" } }, scales: { y: { title: { display: !!unit, text: unit } } } },
    });
  }

  function initTrend() {
    var canvas = document.getElementById("trend-chart");
    if (!canvas || typeof Chart === "undefined") { return; }
    var t = canvas.dataset;
    getJson(t.url).then(function (d) {
      var sets = [["dependency", t.labelDependency], ["weighted_dependency", t.labelWeighted],
        ["rupiah_share", t.labelRupiah], ["availability_gap", t.labelAvailability]];
      lineChart(canvas, d.months, sets.map(function (s, i) {
        return { label: s[1], data: d[s[0]], borderColor: COLOURS[i], backgroundColor: COLOURS[i] };
      }), "%");
    });
  }

  function initPrices() {
    var canvas = document.getElementById("bapanas-chart");
    var select = document.getElementById("bapanas-commodity");
    if (!canvas || !select || typeof Chart === "undefined") { return; }
    function load() {
      var url = canvas.dataset.url + "?commodity=" + encodeURIComponent(select.value) +
        "&regions=" + encodeURIComponent(canvas.dataset.regions);
      getJson(url).then(function (d) {
        lineChart(canvas, d.months, d.series.map(function (s, i) {
          return { label: s.name, data: s.values, borderColor: COLOURS[i % COLOURS.length],
            backgroundColor: COLOURS[i % COLOURS.length], borderDash: s.code === "61.71" ? [6, 3] : [] };
        }), d.unit);
      });
    }
    select.addEventListener("change", load);
    load();
  }

  document.addEventListener("DOMContentLoaded", function () { initMap(); initTrend(); initPrices(); });
})();
