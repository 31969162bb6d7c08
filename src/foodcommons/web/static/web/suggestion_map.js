// The moderator's small map of a suggestion: the suggested point, and the point now when it moves.
(function () {
  "use strict";
  var root = document.getElementById("suggestion-map"), data = document.getElementById("suggestion-points");
  if (!root || !data || !window.L) return;
  var points = JSON.parse(data.textContent);
  var map = L.map(root, { zoomControl: false, scrollWheelZoom: false });
  L.control.zoom({ zoomInTitle: points.zoomInTitle, zoomOutTitle: points.zoomOutTitle }).addTo(map);
  map.attributionControl.setPrefix(false);
  if (points.tileUrl) L.tileLayer(points.tileUrl, { attribution: points.tileAttribution, maxZoom: 19 }).addTo(map);
  var shown = [];
  if (points.now) {
    var now = L.latLng(points.now[1], points.now[0]);
    L.circleMarker(now, { radius: 8, color: "#5a6b7b", fillOpacity: 0.4 }).bindTooltip(points.nowLabel).addTo(map);
    shown.push(now);
  }
  if (points.suggested) {
    var suggested = L.latLng(points.suggested[1], points.suggested[0]);
    L.marker(suggested, { title: points.suggestedLabel, alt: points.suggestedLabel, keyboard: false, icon: L.divIcon({
      className: "form-pin", iconSize: [32, 44], iconAnchor: [16, 44],
      html: '<svg viewBox="0 0 32 44" width="32" height="44" aria-hidden="true" focusable="false"><path d="M16 1C7.7 1 1 7.7 1 16c0 11 15 27 15 27s15-16 15-27C31 7.7 24.3 1 16 1z" fill="#2b6a3f" stroke="#fff" stroke-width="2"/><circle cx="16" cy="16" r="6" fill="#fff"/></svg>'
    }) }).addTo(map);
    shown.push(suggested);
  }
  if (shown.length > 1) map.fitBounds(L.latLngBounds(shown).pad(0.5));
  else map.setView(shown[0], 16);
  root.setAttribute("data-shown", String(shown.length));
})();
