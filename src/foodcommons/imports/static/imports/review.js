// The review of possible duplicates: a small map of each pair's two points (A and B), and a question before a merge.
(function () {
  "use strict";
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  });
  var settings = document.getElementById("pair-maps");
  if (!window.L || !settings) return;
  function point(text) {
    var parts = text.split(",");
    return [parseFloat(parts[1]), parseFloat(parts[0])];
  }
  function labelled(latlng, letter) {
    var icon = L.divIcon({ className: "pair-marker", html: letter, iconSize: [26, 26], iconAnchor: [13, 13] });
    return L.marker(latlng, { icon: icon, keyboard: false, interactive: false });
  }
  document.querySelectorAll(".pair-map").forEach(function (root) {
    var a = point(root.dataset.a), b = point(root.dataset.b);
    var map = L.map(root, { scrollWheelZoom: false, keyboard: false, zoomControl: true, attributionControl: true });
    map.attributionControl.setPrefix(false);
    if (settings.dataset.tileUrl) L.tileLayer(settings.dataset.tileUrl, { attribution: settings.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
    L.polyline([a, b], { color: "#4a5a4d", weight: 2, dashArray: "4 4", interactive: false }).addTo(map);
    labelled(a, "A").addTo(map);
    labelled(b, "B").addTo(map);
    // Both points in view; two points on one spot still get a street-level view.
    map.fitBounds(L.latLngBounds([a, b]).pad(0.6), { maxZoom: 17 });
  });
})();
