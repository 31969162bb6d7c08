// The small map of a place page.
(function () {
  "use strict";
  var root = document.getElementById("place-map");
  if (!root || !window.L) return;
  var point = [parseFloat(root.dataset.lat), parseFloat(root.dataset.lon)];
  var map = L.map(root, { scrollWheelZoom: false, keyboard: false, zoomControl: false }).setView(point, 15);
  L.control.zoom({ zoomInTitle: root.dataset.zoomIn, zoomOutTitle: root.dataset.zoomOut }).addTo(map);
  map.attributionControl.setPrefix(false);
  if (window.foodcommons) window.foodcommons.cooperativeGestures(map, root.dataset.touchHint);
  if (root.dataset.tileUrl) L.tileLayer(root.dataset.tileUrl, { attribution: root.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  // Without tiles, our own provinces still show where the place is.
  fetch(root.dataset.boundariesUrl).then(function (r) { return r.json(); }).then(function (geojson) {
    L.geoJSON(geojson, { interactive: false, style: { color: "#5a6b7b", weight: 1, fillColor: "#eef2ea", fillOpacity: root.dataset.tileUrl ? 0 : 0.6 } }).addTo(map).bringToBack();
  });
  L.circleMarker(point, { radius: 9, color: "#fff", weight: 2, fillColor: "#2b6a3f", fillOpacity: 1 }).addTo(map);
})();
