// The land page: the threatened fields on a map with their stage, and drawing a field with leaflet-geoman (an npm
// package served by the app). The corners drawn fill the form's text box, which is also the keyboard way: corners
// typed there are shown on the map. Without this script (or without geoman) the typed corners and the upload still work.
(function () {
  "use strict";
  var root = document.getElementById("land-map");
  if (!root || !window.L) return;
  var strings = JSON.parse(document.getElementById("land-strings").textContent);
  var FIELD = { color: "#7a5c00", weight: 2, fillColor: "#d9b300", fillOpacity: 0.35 };
  var DRAWN = { color: "#a4000f", weight: 3, fillColor: "#ff6f61", fillOpacity: 0.3 };

  var map = L.map(root, { zoomControl: false, minZoom: 6, maxZoom: 19 });
  L.control.zoom({ zoomInTitle: strings.zoomInTitle, zoomOutTitle: strings.zoomOutTitle }).addTo(map);
  map.attributionControl.setPrefix(false);
  // A view in the address (?lat=&lon=&z=, as the main map writes it) is kept; otherwise the map shows the fields.
  var params = new URLSearchParams(window.location.search);
  var lat = parseFloat(params.get("lat")), lon = parseFloat(params.get("lon")), zoom = parseInt(params.get("z"), 10);
  var chosenView = isFinite(lat) && isFinite(lon) && isFinite(zoom);
  if (chosenView) map.setView([lat, lon], zoom);
  else map.fitBounds([[49.5, 2.55], [51.5, 6.4]]);
  if (root.dataset.tileUrl) L.tileLayer(root.dataset.tileUrl, { attribution: root.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  if (window.foodcommons) window.foodcommons.cooperativeGestures(map, strings.twoFingers);
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", strings.closePopup); close.title = strings.closePopup; }
  });
  fetch(root.dataset.boundariesUrl).then(function (r) { return r.json(); }).then(function (geojson) {
    L.geoJSON(geojson, { interactive: false, pmIgnore: true, style: { color: "#5a6b7b", weight: 1, fill: true, fillColor: "#eef2ea", fillOpacity: root.dataset.tileUrl ? 0 : 0.6 } }).addTo(map).bringToBack();
  });

  function text(tag, value, className) {
    var element = document.createElement(tag);
    element.textContent = value;
    if (className) element.className = className;
    return element;
  }
  function popup(properties) {
    var box = document.createElement("div");
    var link = text("a", properties.name);
    link.href = "/places/" + encodeURIComponent(properties.id);
    box.appendChild(link);
    if (properties.stage) {
      var when = strings.since.replace("%(day)s", properties.since) + (properties.until ? ", " + strings.until.replace("%(day)s", properties.until) : "");
      box.appendChild(text("p", properties.stage + " (" + when + ")", "field-stage"));
    }
    if (properties.surface_ha) box.appendChild(text("p", properties.surface_ha.toLocaleString(strings.language) + " ha"));
    return box;
  }

  var fields = L.geoJSON(null, { pmIgnore: true, style: FIELD, onEachFeature: function (feature, layer) {
    layer.bindPopup(popup(feature.properties), { autoPanPaddingTopLeft: L.point(70, 20) });  // clear of the map buttons
    layer.bindTooltip(feature.properties.name + (feature.properties.stage ? " · " + feature.properties.stage : ""));
  } }).addTo(map);
  fetch(root.dataset.fieldsUrl, { headers: { Accept: "application/geo+json" } }).then(function (r) { return r.json(); }).then(function (geojson) {
    fields.addData(geojson);
    root.setAttribute("data-fields", String(geojson.features.length));
    if (geojson.features.length && !chosenView) map.fitBounds(fields.getBounds(), { maxZoom: 16, padding: [20, 20] });
  });

  // --- drawing a field -------------------------------------------------------------------------------------------
  var form = document.getElementById("draw-form");
  var outline = form && form.querySelector("[name=outline]");
  if (!outline) return;
  var status = document.getElementById("draw-status");
  var drawn = null;

  function say(message) { if (status) status.textContent = message; }
  function show(layer) {
    if (drawn && drawn !== layer) map.removeLayer(drawn);
    drawn = layer;
    layer.setStyle(DRAWN);
    map.fitBounds(layer.getBounds(), { maxZoom: 17, padding: [20, 20] });
  }
  function write(layer) {
    var corners = layer.getLatLngs()[0];
    outline.value = corners.map(function (c) { return c.lat.toFixed(6) + ", " + c.lng.toFixed(6); }).join("\n");
    root.setAttribute("data-drawn", String(corners.length));
    say(strings.drawn.replace("%(count)s", corners.length));
  }
  // Typed corners, "latitude, longitude" a line (either order: in Belgium latitude is the larger number).
  function typedCorners() {
    var corners = [];
    outline.value.split("\n").forEach(function (line) {
      var numbers = line.split(/[,;\s]+/).filter(Boolean).map(Number);
      if (numbers.length === 2 && numbers.every(isFinite)) corners.push(numbers[0] > numbers[1] ? numbers : [numbers[1], numbers[0]]);
    });
    return corners;
  }
  outline.addEventListener("change", function () {
    var corners = typedCorners();
    if (corners.length < 3) return;
    show(L.polygon(corners));
    drawn.addTo(map);
    say(strings.typed);
  });

  if (!map.pm) return;  // geoman is not installed: the typed corners remain
  map.pm.setLang(strings.language);
  map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: false, templineStyle: DRAWN, hintlineStyle: DRAWN, pathOptions: DRAWN });
  map.pm.addControls({ position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false, drawCircle: false,
    drawText: false, drawRectangle: true, editMode: true, dragMode: false, cutPolygon: false, removalMode: true, rotateMode: false });
  // geoman titles the box around each tool button: the button itself gets that name, for screen readers.
  root.querySelectorAll(".leaflet-pm-toolbar .button-container").forEach(function (container) {
    var button = container.querySelector("a");
    if (button && container.title) button.setAttribute("aria-label", container.title);
  });
  var buttons = form.querySelector(".draw-buttons"), start = document.getElementById("draw-start");
  var finish = document.getElementById("draw-finish"), clear = document.getElementById("draw-clear");
  buttons.hidden = false;
  start.addEventListener("click", function () {
    map.pm.enableDraw("Polygon");
    finish.disabled = false;
    root.scrollIntoView({ block: "nearest" });
    say(strings.drawing);
  });
  finish.addEventListener("click", function () {
    var polygon = map.pm.Draw.Polygon;
    if (polygon && polygon._enabled && polygon._layer && polygon._layer.getLatLngs().length >= 3) polygon._finishShape();
  });
  clear.addEventListener("click", function () {
    map.pm.disableDraw();
    if (drawn) map.removeLayer(drawn);
    drawn = null;
    outline.value = "";
    root.removeAttribute("data-drawn");
    say(strings.cleared);
  });
  map.on("pm:drawstart", function () { finish.disabled = false; });
  map.on("pm:drawend", function () { finish.disabled = true; });
  map.on("pm:create", function (event) {
    show(event.layer);
    write(event.layer);
    event.layer.on("pm:edit", function () { write(event.layer); });
  });
  map.on("pm:remove", function (event) {
    if (event.layer !== drawn) return;
    drawn = null;
    outline.value = "";
    say(strings.cleared);
  });
})();
