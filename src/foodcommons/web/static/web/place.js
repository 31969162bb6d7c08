// The place page: the small map, "back to the map" at the view the visitor came from, and the share link.
(function () {
  "use strict";
  var back = document.getElementById("back-to-map");
  if (back && document.referrer) {
    try {
      var from = new URL(document.referrer);
      if (from.origin === window.location.origin && (from.pathname === "/" || from.pathname === "/map")) back.href = from.pathname + from.search;
    } catch (e) { /* an unreadable referrer keeps the link at the place */ }
  }
  var share = document.getElementById("share");
  if (share) {
    share.addEventListener("click", function (event) {
      var status = document.getElementById("share-status");
      if (navigator.share) {
        event.preventDefault();
        navigator.share({ title: share.dataset.title, url: share.href }).catch(function () {});
      } else if (navigator.clipboard && window.isSecureContext) {
        event.preventDefault();
        navigator.clipboard.writeText(share.href).then(function () { if (status) status.textContent = share.dataset.copied; });
      }
    });
  }

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
