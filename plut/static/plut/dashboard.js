/* The dashboard: a choropleth map of enterprise counts (Leaflet), the counts by regency and the
 * staple-price series (Chart.js). All data comes from the dashboard's JSON endpoints; no tiles and
 * no CDN, so it works offline. Labels come from data-* attributes (translated by Django). */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "id";
  var numberFormat = new Intl.NumberFormat(lang === "en" ? "en-GB" : "id-ID");
  // Sequential greens (ColorBrewer Greens, 5 classes), light to dark.
  var RAMP = ["#c7e9c0", "#a1d99b", "#74c476", "#31a354", "#006d2c"];
  var ZERO = "#f7fcf5";
  var OUTSIDE = "#d9d9d9";
  var LINE_COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
    "#666666", "#1f78b4", "#b2df8a", "#fb9a99", "#cab2d6", "#ff7f00", "#6a3d9a"];

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + url); }
        return response.json();
      });
  }

  /* Class breaks for counts 1..max: up to five equal steps, rounded up to whole numbers. */
  function breaks(max) {
    var steps = Math.min(RAMP.length, Math.max(max, 1));
    var out = [];
    for (var i = 1; i <= steps; i++) { out.push(Math.ceil((max * i) / steps)); }
    return out.filter(function (v, idx, arr) { return arr.indexOf(v) === idx; });
  }

  function colourFor(count, bins) {
    if (count === null || count === undefined) { return OUTSIDE; }
    if (count === 0) { return ZERO; }
    for (var i = 0; i < bins.length; i++) {
      if (count <= bins[i]) { return RAMP[RAMP.length - bins.length + i]; }
    }
    return RAMP[RAMP.length - 1];
  }

  /* Ray casting: is the point inside the ring ([lng, lat] pairs)? */
  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) { inside = !inside; }
    }
    return inside;
  }

  /* Is the LatLng inside a GeoJSON Polygon or MultiPolygon (holes respected)? */
  function contains(geometry, latlng) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    return polygons.some(function (rings) {
      return inRing(rings[0], latlng.lng, latlng.lat) &&
        !rings.slice(1).some(function (hole) { return inRing(hole, latlng.lng, latlng.lat); });
    });
  }

  /* ---------------------------------------------------------------- map */
  function initMap() {
    var el = document.getElementById("map");
    if (!el || typeof L === "undefined") { return; }
    var t = el.dataset;
    var map = L.map(el, { zoomSnap: 0.25, minZoom: 6, maxZoom: 13, attributionControl: false });
    map.setView([0.0, 111.3], 7);
    var regencyLayer = null;
    var districtLayer = null;
    var currentRegency = null;
    var fitting = false;  // true while the map moves by itself (fitBounds)
    var regencyBins = [1];
    var legend = L.control({ position: "bottomright" });
    var legendDiv = L.DomUtil.create("div", "map-legend");
    legend.onAdd = function () { return legendDiv; };
    legend.addTo(map);

    function drawLegend(bins, districts) {
      var rows = ["<strong>" + escapeHtml(t.labelLegend) + "</strong>"];
      rows.push('<span><i style="background:' + ZERO + '"></i>0</span>');
      var low = 1;
      bins.forEach(function (high, i) {
        var colour = RAMP[RAMP.length - bins.length + i];
        var text = low === high ? numberFormat.format(high) : numberFormat.format(low) + "–" + numberFormat.format(high);
        rows.push('<span><i style="background:' + colour + '"></i>' + text + "</span>");
        low = high + 1;
      });
      rows.push('<span><i style="background:' + OUTSIDE + '"></i>' + escapeHtml(t.labelOutside) + "</span>");
      rows.push('<span><i class="border-swatch"></i>' + escapeHtml(districts ? t.labelBorderDistrict : t.labelBorderRegency) + "</span>");
      rows.push('<span><i class="post-swatch"></i>' + escapeHtml(t.labelPost) + "</span>");
      legendDiv.innerHTML = rows.join("");
    }

    function tooltip(props) {
      var count = props.count === null ? t.labelOutside : numberFormat.format(props.count) + " " + t.labelEnterprises;
      return "<strong>" + escapeHtml(props.name) + "</strong> (" + escapeHtml(props.code) + ")<br>" + escapeHtml(count);
    }

    function regionStyle(bins, dimmed) {
      return function (feature) {
        var p = feature.properties;
        var border = p.is_border_regency || p.is_border_district;
        return {
          color: border ? "#b2182b" : "#555",
          weight: border ? 2.5 : 1,
          dashArray: p.count === null ? "4 3" : null,
          fillColor: colourFor(p.count, bins),
          fillOpacity: dimmed ? 0.25 : 0.85,
        };
      };
    }

    function loadDistricts(code) {
      if (code === currentRegency) { return; }
      currentRegency = code;
      getJson(t.districtsUrl + "?regency=" + encodeURIComponent(code)).then(function (data) {
        if (currentRegency !== code) { return; }
        if (districtLayer) { map.removeLayer(districtLayer); }
        var bins = breaks(data.max_count);
        districtLayer = L.geoJSON(data, {
          style: regionStyle(bins, false),
          onEachFeature: function (feature, layer) { layer.bindTooltip(tooltip(feature.properties), { sticky: true }); },
        }).addTo(map);
        if (postLayer) { postLayer.bringToFront(); }
        regencyLayer.setStyle(regionStyle(regencyBins, true));
        drawLegend(bins, true);
        el.dataset.loadedRegency = code;
        fitting = true;
        map.fitBounds(districtLayer.getBounds(), { padding: [10, 10] });
      }).catch(showError);
    }

    function showProvince() {
      currentRegency = null;
      if (districtLayer) { map.removeLayer(districtLayer); districtLayer = null; }
      if (regencyLayer) {
        regencyLayer.setStyle(regionStyle(regencyBins, false));
        fitting = true;
        map.fitBounds(regencyLayer.getBounds(), { padding: [10, 10] });
      }
      drawLegend(regencyBins);
      delete el.dataset.loadedRegency;
    }

    function showError() {
      var note = L.DomUtil.create("p", "map-error");
      note.textContent = t.labelError;
      el.parentNode.insertBefore(note, el.nextSibling);
    }

    var back = L.control({ position: "topright" });
    back.onAdd = function () {
      var button = L.DomUtil.create("button", "map-back secondary compact");
      button.type = "button";
      button.textContent = t.labelProvince;
      L.DomEvent.disableClickPropagation(button);
      L.DomEvent.on(button, "click", showProvince);
      return button;
    };
    back.addTo(map);

    var postLayer = null;
    getJson(t.regenciesUrl).then(function (data) {
      regencyBins = breaks(data.max_count);
      regencyLayer = L.geoJSON(data, {
        style: regionStyle(regencyBins, false),
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(tooltip(feature.properties), { sticky: true });
          layer.on("click", function () { loadDistricts(feature.properties.code); });
        },
      }).addTo(map);
      regencyLayer.bringToBack();
      map.fitBounds(regencyLayer.getBounds(), { padding: [10, 10] });
      drawLegend(regencyBins);
      el.dataset.ready = "1";
      // Zooming in far enough over a regency loads its districts, as a click does (but not the
      // map's own moves after a click).
      map.on("moveend", function () {
        if (fitting) { fitting = false; return; }
        if (map.getZoom() < 9) { return; }
        var centre = map.getCenter();
        regencyLayer.eachLayer(function (layer) {
          var code = layer.feature.properties.code;
          if (code !== currentRegency && contains(layer.feature.geometry, centre)) { loadDistricts(code); }
        });
      });
    }).catch(showError);

    getJson(t.postsUrl).then(function (data) {
      postLayer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var operational = feature.properties.status === "operational";
          return L.circleMarker(latlng, {
            radius: 7, weight: 2, color: "#08306b",
            fillColor: operational ? "#2171b5" : "#ffffff", fillOpacity: 1,
          });
        },
        onEachFeature: function (feature, layer) {
          var p = feature.properties;
          var html = "<strong>" + escapeHtml(p.name) + "</strong><br>" + escapeHtml(p.status_label) +
            "<br>" + escapeHtml(p.region_name);
          if (p.malaysia_counterpart) { html += "<br>" + escapeHtml(t.labelCounterpart) + ": " + escapeHtml(p.malaysia_counterpart); }
          html += "<br><small>" + escapeHtml(t.labelApprox) + "</small>";
          layer.bindPopup(html);
        },
      }).addTo(map);
    }).catch(showError);
  }

  /* ------------------------------------------------------------ charts */
  function initRegencyChart() {
    var canvas = document.getElementById("regency-chart");
    var dataEl = document.getElementById("regency-counts");
    if (!canvas || !dataEl || typeof Chart === "undefined") { return; }
    var rows = JSON.parse(dataEl.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map(function (r) { return r.label; }),
        datasets: [{ label: canvas.dataset.label, data: rows.map(function (r) { return r.count; }), backgroundColor: "#31a354" }],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }

  function initPriceChart() {
    var canvas = document.getElementById("price-chart");
    var form = document.getElementById("price-form");
    if (!canvas || !form || typeof Chart === "undefined") { return; }
    var unitEl = document.getElementById("price-unit");
    var chart = new Chart(canvas, {
      type: "line",
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        spanGaps: false,
        scales: {
          y: { title: { display: true, text: "" }, ticks: { callback: function (v) { return numberFormat.format(v); } } },
          x: { title: { display: true, text: canvas.dataset.labelMonth } },
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (ctx) {
                return ctx.dataset.label + ": Rp " + numberFormat.format(ctx.parsed.y);
              },
            },
          },
        },
      },
    });

    function load() {
      var params = new URLSearchParams();
      params.set("commodity", form.elements.commodity.value);
      var regions = Array.prototype.filter.call(form.querySelectorAll("input[name=regions]"), function (i) { return i.checked; })
        .map(function (i) { return i.value; });
      if (!regions.length) { chart.data.datasets = []; chart.update(); return; }
      params.set("regions", regions.join(","));
      getJson(form.action + "?" + params.toString()).then(function (data) {
        chart.data.labels = data.months;
        chart.data.datasets = data.series.map(function (line, i) {
          var colour = LINE_COLOURS[i % LINE_COLOURS.length];
          return {
            label: line.name, data: line.values, borderColor: colour, backgroundColor: colour,
            borderWidth: line.code === "61.71" ? 3 : 2, borderDash: line.code === "61.71" ? [6, 3] : [],
            pointRadius: 2, tension: 0.1,
          };
        });
        chart.options.scales.y.title.text = data.unit;
        unitEl.textContent = data.unit;
        chart.update();
        canvas.dataset.ready = data.commodity.slug;
      }).catch(function () { unitEl.textContent = canvas.dataset.labelError; });
    }

    form.addEventListener("change", load);
    form.addEventListener("submit", function (event) { event.preventDefault(); load(); });
    load();
  }

  function init() {
    initRegencyChart();
    initPriceChart();
    initMap();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
