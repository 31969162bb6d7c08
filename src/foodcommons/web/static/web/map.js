// The public map: asks the server for clusters of the current view, keeps the URL and the list in step.
(function () {
  "use strict";
  var root = document.getElementById("map");
  if (!root || !window.L) return;
  var strings = JSON.parse(document.getElementById("map-strings").textContent);
  var form = document.getElementById("filters");
  var listItems = document.getElementById("list-items");
  var countLabel = document.getElementById("count");
  var params = new URLSearchParams(window.location.search);
  var FILTERS = ["q", "category", "territory", "fresh", "open", "attr", "near"];
  var HIT = 44;  // the smallest tap target, in CSS pixels

  var map = L.map(root, { zoomControl: false, minZoom: 6, maxZoom: 19 });
  // Leaflet's own labels are English: the page's language replaces them.
  L.control.zoom({ zoomInTitle: strings.zoomInTitle, zoomOutTitle: strings.zoomOutTitle }).addTo(map);
  map.attributionControl.setPrefix(false);
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", strings.closePopup); close.title = strings.closePopup; }
  });
  if (window.foodcommons) window.foodcommons.cooperativeGestures(map, strings.twoFingers);
  var lat = parseFloat(params.get("lat")), lon = parseFloat(params.get("lon")), zoom = parseInt(params.get("z"), 10);
  if (isFinite(lat) && isFinite(lon) && isFinite(zoom)) map.setView([lat, lon], zoom);
  else map.fitBounds(root.dataset.bounds ? JSON.parse(root.dataset.bounds) : [[49.5, 2.55], [51.5, 6.4]]);

  var tileUrl = root.dataset.tileUrl;
  if (tileUrl) {
    var tiles = L.tileLayer(tileUrl, { attribution: root.dataset.tileAttribution, maxZoom: 19 });
    var warned = false;
    tiles.on("tileerror", function () {
      if (warned) return;
      warned = true;
      root.setAttribute("data-tiles", "failed");
      map.attributionControl.addAttribution(strings.noTiles);
    });
    tiles.addTo(map);
  } else {
    root.setAttribute("data-tiles", "none");
  }
  fetch(root.dataset.boundariesUrl).then(function (r) { return r.json(); }).then(function (geojson) {
    L.geoJSON(geojson, { interactive: false, style: { color: "#5a6b7b", weight: 1, fill: true, fillColor: "#eef2ea", fillOpacity: tileUrl ? 0 : 0.6 } }).addTo(map).bringToBack();
    root.setAttribute("data-boundaries", "shown");
  });

  var layer = L.layerGroup().addTo(map);
  var here = L.layerGroup().addTo(map);
  var pending = null;

  function filterParams() {
    var data = new FormData(form), out = new URLSearchParams();
    data.forEach(function (value, key) {
      if (value && FILTERS.indexOf(key) >= 0) out.append(key, value);
    });
    if (params.get("near")) out.set("near", params.get("near"));
    return out;
  }

  function syncUrl(filters) {
    var state = new URLSearchParams(filters);
    var c = map.getCenter();
    state.set("lat", c.lat.toFixed(5));
    state.set("lon", c.lng.toFixed(5));
    state.set("z", map.getZoom());
    history.replaceState(null, "", window.location.pathname + "?" + state.toString() + window.location.hash);
  }

  function dominant(groups) {
    var best = null;
    Object.keys(groups || {}).forEach(function (g) { if (best === null || groups[g] > groups[best]) best = g; });
    return best;
  }

  function pie(groups, colors, count) {
    var at = 0, stops = [];
    Object.keys(groups).forEach(function (g) {
      var end = at + (groups[g] / count) * 360;
      stops.push((colors[g] || "#666") + " " + at.toFixed(1) + "deg " + end.toFixed(1) + "deg");
      at = end;
    });
    return "conic-gradient(" + stops.join(",") + ")";
  }

  // The language's own plural rule: French says "0 lieu", Dutch "0 plekken".
  var pluralRules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(strings.language) : null;
  function countOf(forms, n) {
    var one = pluralRules ? pluralRules.select(n) === "one" : (strings.language === "fr" ? n <= 1 : n === 1);
    return (one ? forms.one : forms.other).replace("{n}", n);
  }
  function label(n) { return countOf(strings.placeCount, n); }

  function render(view) {
    layer.clearLayers();
    listItems.innerHTML = "";
    countLabel.textContent = "(" + label(view.total) + ")";
    document.querySelectorAll(".results-count").forEach(function (span) { span.textContent = "(" + label(view.total) + ")"; });
    root.setAttribute("data-total", view.total);
    root.setAttribute("data-mode", view.mode);
    view.clusters.forEach(function (c) {
      var size = Math.min(56, 26 + Math.round(Math.log(c.count) * 4)), hit = Math.max(HIT, size);
      // Built as elements and styled through the DOM: the Content-Security-Policy refuses style attributes in HTML.
      var disc = document.createElement("span");
      disc.style.background = pie(c.groups, view.colors, c.count);
      disc.style.width = disc.style.height = size + "px";
      disc.appendChild(document.createElement("b")).textContent = c.count;
      var icon = L.divIcon({ className: "cluster", html: disc, iconSize: [hit, hit] });
      var marker = L.marker([c.lat, c.lon], { icon: icon, keyboard: false, title: label(c.count) });
      marker.on("click", function () { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, 19)); });
      layer.addLayer(marker);
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cluster-item";
      button.style.borderLeftColor = view.colors[dominant(c.groups)] || "#666";
      button.textContent = strings.zoomIn + " " + label(c.count) + " " + strings.around + " " + c.lat.toFixed(3) + ", " + c.lon.toFixed(3);
      button.addEventListener("click", function () { map.setView([c.lat, c.lon], Math.min(map.getZoom() + 2, 19)); });
      item.appendChild(button);
      listItems.appendChild(item);
    });
    view.places.forEach(function (p) {
      // A small dot inside a transparent square of 44 px: a finger finds it.
      var dot = document.createElement("span");
      dot.style.background = p.color;
      var marker = L.marker([p.lat, p.lon], { icon: L.divIcon({ className: "place-marker", html: dot, iconSize: [HIT, HIT] }), keyboard: false, title: p.name });
      var link = '<a href="/places/' + encodeURIComponent(p.id) + '">' + escapeHtml(p.name) + "</a>";
      marker.bindPopup(link, { offset: [0, -8] });
      layer.addLayer(marker);
      var item = document.createElement("li");
      item.className = "place-item";
      item.style.borderLeftColor = p.color;
      var a = document.createElement("a");
      a.href = "/places/" + encodeURIComponent(p.id);
      a.textContent = p.name;
      item.appendChild(a);
      if (p.distance_m !== undefined) {
        var d = document.createElement("span");
        d.className = "distance";
        d.textContent = " · " + (p.distance_m < 1000 ? p.distance_m + " m" : (p.distance_m / 1000).toFixed(1) + " km") + " " + strings.away;
        item.appendChild(d);
      }
      item.addEventListener("mouseenter", function () { highlight(marker, true); });
      item.addEventListener("mouseleave", function () { highlight(marker, false); });
      listItems.appendChild(item);
    });
    if (!view.total) {
      var empty = document.createElement("li");
      empty.textContent = strings.none;
      listItems.appendChild(empty);
    }
    renderEmptyHelp(view.empty);
  }

  // Zero results: which filter removed everything (with counts), a button to drop each, to widen to Belgium, to add a place.
  var BELGIUM = [[49.5, 2.55], [51.5, 6.4]];
  function renderEmptyHelp(help) {
    var box = document.getElementById("empty-help");
    if (!box) return;
    box.innerHTML = "";
    if (!help) return;
    var title = document.createElement("p");
    title.className = "empty-title";
    title.appendChild(document.createElement("strong")).textContent = help.title;
    box.appendChild(title);
    help.empty_categories.forEach(function (category) {
      var p = box.appendChild(document.createElement("p"));
      p.className = "empty-category";
      p.textContent = category.text + " ";
      p.appendChild(addLink(help.add, category.slug));
    });
    var ways = box.appendChild(document.createElement("ul"));
    ways.className = "empty-ways";
    help.drops.forEach(function (drop) {
      ways.appendChild(wayOut(drop.text, drop.action, function () { dropFilter(drop.filter); }, "drop-" + drop.filter));
    });
    if (help.belgium) ways.appendChild(wayOut(help.belgium.text, help.belgium.action, widenToBelgium, "widen"));
    if (!help.empty_categories.length) box.appendChild(document.createElement("p")).appendChild(addLink(help.add, ""));
  }

  function wayOut(text, action, onClick, name) {
    var item = document.createElement("li");
    item.appendChild(document.createElement("span")).textContent = text + " ";
    if (action) {
      var button = item.appendChild(document.createElement("button"));
      button.type = "button";
      button.dataset.way = name;
      button.textContent = action;
      button.addEventListener("click", onClick);
    }
    return item;
  }

  function addLink(add, category) {
    var a = document.createElement("a");
    a.className = "button add-place";
    a.href = add.href + (category ? "?category=" + encodeURIComponent(category) : "");
    a.textContent = add.text;
    return a;
  }

  function dropFilter(name) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name !== name) return;
      if (field.type === "checkbox") field.checked = false;
      else field.value = "";
    });
    refresh();
  }

  function widenToBelgium() {
    var territory = form.elements.territory;
    if (territory) territory.value = "";
    params.delete("near");
    map.fitBounds(BELGIUM);
    refresh();
  }

  function highlight(marker, on) {
    var element = marker.getElement();
    if (element) element.classList.toggle("highlight", on);
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function refresh() {
    var filters = filterParams();
    showActiveCount(filters);
    syncUrl(filters);
    var b = map.getBounds();
    var query = new URLSearchParams(filters);
    query.set("bbox", [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(","));
    query.set("zoom", map.getZoom());
    if (pending) pending.abort();
    pending = new AbortController();
    root.setAttribute("aria-busy", "true");
    fetch(root.dataset.clustersUrl + "?" + query.toString(), { signal: pending.signal })
      .then(function (r) { return r.json(); })
      .then(function (view) {
        root.removeAttribute("aria-busy");
        if (view.status) { countLabel.textContent = view.detail || view.title; return; }
        render(view);
      })
      .catch(function (error) { if (error.name !== "AbortError") root.removeAttribute("aria-busy"); });
  }

  form.addEventListener("change", refresh);
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });
  var search = document.getElementById("f-q"), timer = null;
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 300); });

  function goNear(lon, lat) {
    params.set("near", lon.toFixed(5) + "," + lat.toFixed(5));
    map.setView([lat, lon], 14);
  }

  function showHere(pos) {
    var point = [pos.coords.latitude, pos.coords.longitude];
    here.clearLayers();
    if (pos.coords.accuracy) L.circle(point, { radius: pos.coords.accuracy, interactive: false, color: "#1a5fb4", weight: 1, fillOpacity: 0.1 }).addTo(here);
    var dot = document.createElement("span");
    L.marker(point, { icon: L.divIcon({ className: "you-are-here", html: dot, iconSize: [HIT, HIT] }), keyboard: false, title: strings.youAreHere, zIndexOffset: 1000 })
      .bindPopup(strings.youAreHere).addTo(here);
  }

  var status = document.getElementById("map-status");
  // The position is asked only when the person presses "use my location", never on load.
  function locate() {
    if (!navigator.geolocation) { status.textContent = strings.noPosition; return; }
    status.textContent = strings.locating;
    navigator.geolocation.getCurrentPosition(function (pos) {
      status.textContent = strings.youAreHere;
      showHere(pos);
      closePanel(false);
      showView("map");
      goNear(pos.coords.longitude, pos.coords.latitude);
    }, function () { status.textContent = strings.noPosition; }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  }
  document.querySelectorAll(".locate").forEach(function (button) { button.addEventListener("click", locate); });
  var nearText = document.getElementById("f-near");
  nearText.addEventListener("change", function (event) {
    event.stopPropagation();
    if (!nearText.value.trim()) return;
    fetch("/map/locate?q=" + encodeURIComponent(nearText.value.trim()))
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (found) { showNearFound(found); if (found) goNear(found.lon, found.lat); });
  });

  // An unknown commune or postcode says so, in the field and to a screen reader (the status line is polite live).
  function showNearFound(found) {
    var message = document.getElementById("f-near-error");
    if (!message) return;
    if (found) {
      if (nearText.getAttribute("aria-invalid") && status.textContent === message.textContent) status.textContent = "";
      nearText.removeAttribute("aria-invalid");
      message.textContent = "";
      return;
    }
    nearText.setAttribute("aria-invalid", "true");
    message.textContent = strings.unknownPlace.replace("{text}", nearText.value.trim());
    status.textContent = message.textContent;
  }

  // Small screens: the filters live in a panel over the map, and the map and the list take turns.
  var panel = document.getElementById("filters-panel");
  var toggle = document.getElementById("filters-toggle");
  var layout = document.querySelector(".map-layout");
  var outside = [];

  function isOpen() { return document.body.classList.contains("filters-open"); }

  function openPanel() {
    if (!toggle) return;
    document.body.classList.add("filters-open");
    toggle.setAttribute("aria-expanded", "true");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-labelledby", "filters-title");
    // Everything but the panel is inert while it is open: Tab stays inside, a screen reader too.
    outside = Array.prototype.filter.call(document.querySelectorAll("body > *, main > *"), function (element) {
      return !element.contains(panel) && element.tagName !== "SCRIPT" && !element.inert;
    });
    outside.forEach(function (element) { element.inert = true; });
    panel.focus();
  }

  function closePanel(giveFocusBack) {
    if (!toggle || !isOpen()) return;
    document.body.classList.remove("filters-open");
    toggle.setAttribute("aria-expanded", "false");
    ["role", "aria-modal", "aria-labelledby"].forEach(function (name) { panel.removeAttribute(name); });
    outside.forEach(function (element) { element.inert = false; });
    outside = [];
    if (giveFocusBack !== false) toggle.focus();
  }

  function showActiveCount(filters) {
    var badge = document.getElementById("filters-count"), text = document.getElementById("filters-count-text");
    if (!badge) return;
    var count = 0;
    // "near" orders the list by distance and removes nothing: it is not counted.
    filters.forEach(function (value, key) { if (key !== "near") count += 1; });
    badge.hidden = !count;
    badge.textContent = count;
    text.textContent = count ? " (" + countOf(strings.activeCount, count) + ")" : "";
  }

  function showView(which) {
    if (!layout) return;
    layout.setAttribute("data-view", which);
    document.querySelectorAll(".view-toggle button").forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.view === which ? "true" : "false");
    });
    if (which === "map") map.invalidateSize();
  }

  if (toggle) {
    toggle.addEventListener("click", function () { if (isOpen()) closePanel(); else openPanel(); });
    panel.querySelectorAll(".panel-close, .panel-done").forEach(function (button) { button.addEventListener("click", function () { closePanel(); }); });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape" && isOpen()) { event.preventDefault(); closePanel(); } });
    document.querySelectorAll(".view-toggle button").forEach(function (button) {
      button.addEventListener("click", function () { showView(button.dataset.view); });
    });
    // Back on a wide screen the panel is part of the page again.
    if (window.foodcommons) window.foodcommons.wide.addEventListener("change", function (event) {
      if (event.matches) { closePanel(false); showView("map"); }
    });
  }

  // A right click or a long press on the map offers to add a place there (the form opens with its pin on that point).
  function offerToAddHere(map, strings) {
    if (strings.embed || !strings.addHere) return;
    function offer(latlng) {
      var link = document.createElement("a");
      link.className = "add-here";
      link.href = strings.addHereUrl + "?lat=" + latlng.lat.toFixed(6) + "&lon=" + latlng.lng.toFixed(6);
      link.textContent = strings.addHere;
      L.popup({ className: "add-here-popup" }).setLatLng(latlng).setContent(link).openOn(map);
    }
    map.on("contextmenu", function (event) { offer(event.latlng); });
    var timer = null, container = map.getContainer();
    function cancel() { clearTimeout(timer); timer = null; }
    container.addEventListener("touchstart", function (event) {
      cancel();
      if (event.touches.length !== 1) return;
      var touch = event.touches[0];
      timer = setTimeout(function () { offer(map.mouseEventToLatLng(touch)); }, 650);
    }, { passive: true });
    ["touchmove", "touchend", "touchcancel"].forEach(function (name) { container.addEventListener(name, cancel, { passive: true }); });
  }

  offerToAddHere(map, strings);
  map.on("moveend", refresh);
  refresh();
})();
