// The small map of a place page.
(function () {
  "use strict";
  var root = document.getElementById("place-map");
  if (!root || !window.L) return;
  var point = [parseFloat(root.dataset.lat), parseFloat(root.dataset.lon)];
  var map = L.map(root, { scrollWheelZoom: false, keyboard: false }).setView(point, 15);
  map.attributionControl.setPrefix(false);
  if (root.dataset.tileUrl) L.tileLayer(root.dataset.tileUrl, { attribution: root.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  L.circleMarker(point, { radius: 9, color: "#fff", weight: 2, fillColor: "#2b6a3f", fillOpacity: 1 }).addTo(map);
})();
