// The add-a-place form: search an address, postcode or commune (the embedded geocoder), a draggable pin that fills the
// hidden longitude and latitude, "my location", the category's own attributes, and an opening-hours helper.
// Without this script the form still works: its plain fields are shown.
(function () {
  "use strict";
  var strings = JSON.parse(document.getElementById("form-strings").textContent);
  var form = document.querySelector(".place-form");
  if (!form || !window.L) return;
  var lon = form.querySelector("[name=lon]"), lat = form.querySelector("[name=lat]");

  // A pin drawn in SVG (no image to fetch), its tip on the point; 44 px tall so that a finger can take it.
  var PIN = L.divIcon({
    className: "form-pin", iconSize: [32, 44], iconAnchor: [16, 44],
    html: '<svg viewBox="0 0 32 44" width="32" height="44" aria-hidden="true" focusable="false"><path d="M16 1C7.7 1 1 7.7 1 16c0 11 15 27 15 27s15-16 15-27C31 7.7 24.3 1 16 1z" fill="#2b6a3f" stroke="#fff" stroke-width="2"/><circle cx="16" cy="16" r="6" fill="#fff"/></svg>'
  });

  function format(text, label) { return text.replace("%(label)s", label); }

  // --- where: the map with its pin -------------------------------------------------------------
  function setUpMap() {
    var box = form.querySelector(".geocode"), root = document.getElementById("pin-map");
    if (!window.L || !box || !root || !lon || !lat) return;
    box.hidden = false;
    form.querySelector(".coords").hidden = true;
    var status = document.getElementById("geocode-status");
    var map = L.map(root, { zoomControl: false, minZoom: 6, maxZoom: 19 });
    L.control.zoom({ zoomInTitle: strings.zoomInTitle, zoomOutTitle: strings.zoomOutTitle }).addTo(map);
    map.attributionControl.setPrefix(false);
    if (strings.tileUrl) L.tileLayer(strings.tileUrl, { attribution: strings.tileAttribution, maxZoom: 19 }).addTo(map);
    var pin = null;
    if (strings.boundariesUrl) fetch(strings.boundariesUrl).then(function (r) { return r.json(); }).then(function (geojson) {
      L.geoJSON(geojson, { interactive: false, style: { color: "#5a6b7b", weight: 1, fill: true, fillColor: "#eef2ea", fillOpacity: strings.tileUrl ? 0 : 0.6 } }).addTo(map).bringToBack();
    });
    if (window.foodcommons) window.foodcommons.cooperativeGestures(map, strings.twoFingers);

    function write(latlng) {
      lon.value = latlng.lng.toFixed(6);
      lat.value = latlng.lat.toFixed(6);
      root.setAttribute("data-pin", lon.value + "," + lat.value);
    }
    function place(latlng, zoom) {
      if (!pin) {
        pin = L.marker(latlng, { icon: PIN, draggable: true, autoPan: true, keyboard: true, title: strings.pinLabel, alt: strings.pinLabel }).addTo(map);
        pin.on("dragend", function () { write(pin.getLatLng()); status.textContent = strings.moved; root.setAttribute("data-approximate", "false"); });
      } else {
        pin.setLatLng(latlng);
      }
      write(latlng);
      map.setView(latlng, zoom || Math.max(map.getZoom(), 16));
    }
    var start = parseFloat(lat.value), startLon = parseFloat(lon.value);
    if (isFinite(start) && isFinite(startLon)) place(L.latLng(start, startLon), 17);
    else map.fitBounds([[49.5, 2.55], [51.5, 6.4]]);
    map.on("click", function (event) { place(event.latlng); status.textContent = strings.moved; root.setAttribute("data-approximate", "false"); });

    function fillAddress(found) {
      var street = found.street && (found.street[strings.language] || found.street.fr || found.street.nl);
      var fields = { postcode: found.postcode, street: street, locality: found.locality };
      Object.keys(fields).forEach(function (name) {
        var input = form.querySelector("[name=" + name + "]");
        if (input && fields[name] && !input.value) input.value = fields[name];
      });
      var number = (query.value.match(/(?:^|\s)(\d{1,4}[a-zA-Z]?)(?=[\s,]|$)/g) || []).map(function (s) { return s.trim(); })
        .filter(function (s) { return s !== found.postcode; })[0];
      var house = form.querySelector("[name=house_number]");
      if (house && number && !house.value && street) house.value = number;
    }
    var query = document.getElementById("geocode-q");
    function search() {
      var text = query.value.trim();
      if (text.length < 2) return;
      status.textContent = strings.searching;
      fetch(strings.geocodeUrl + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          var found = answer.results && answer.results[0];
          if (!found) { status.textContent = strings.notFound; return; }
          place(L.latLng(found.lat, found.lon), found.precision === "address" ? 18 : found.precision === "commune" ? 14 : 16);
          root.setAttribute("data-approximate", found.approximate ? "true" : "false");
          status.textContent = format(found.approximate ? strings.approximate : strings.exact, found.label);
          fillAddress(found);
        })
        .catch(function () { status.textContent = strings.notFound; });
    }
    document.getElementById("geocode-go").addEventListener("click", search);
    query.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); search(); } });
    document.getElementById("pin-locate").addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = strings.noPosition; return; }
      status.textContent = strings.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        place(L.latLng(position.coords.latitude, position.coords.longitude), 17);
        status.textContent = strings.moved;
      }, function () { status.textContent = strings.noPosition; }, { enableHighAccuracy: true, timeout: 10000 });
    });
    window.foodcommonsPinMap = map;
  }

  // --- what: the attributes of the chosen categories -------------------------------------------
  function setUpAttributes() {
    var rows = form.querySelectorAll(".attribute");
    function update() {
      var chosen = Array.prototype.map.call(form.querySelectorAll("[name=categories]:checked"), function (box) { return box.value; });
      Array.prototype.forEach.call(rows, function (row) {
        var mine = row.getAttribute("data-categories").split(" ");
        row.hidden = !mine.some(function (slug) { return chosen.indexOf(slug) >= 0; });
      });
    }
    form.addEventListener("change", function (event) { if (event.target.name === "categories") update(); });
    update();
  }

  // --- opening hours: days and times written in the OpenStreetMap syntax, read back in words ----
  var CODES = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
  function setUpHours() {
    var helper = form.querySelector(".hours-helper"), field = form.querySelector("[name=opening_hours]");
    var words = document.getElementById("hours-words");
    if (!helper || !field) return;
    helper.hidden = false;
    var days = helper.querySelector(".hours-days");
    CODES.forEach(function (code, i) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox"; box.value = code;
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + strings.days[i]));
      days.appendChild(label);
    });
    function dayRanges(codes) {
      var index = codes.map(function (c) { return CODES.indexOf(c); }).sort(), out = [], i = 0;
      while (i < index.length) {
        var j = i;
        while (j + 1 < index.length && index[j + 1] === index[j] + 1) j++;
        out.push(j - i >= 2 ? CODES[index[i]] + "-" + CODES[index[j]] : index.slice(i, j + 1).map(function (k) { return CODES[k]; }).join(","));
        i = j + 1;
      }
      return out.join(",");
    }
    function inWords(value) {
      return value.split(";").map(function (rule) {
        var m = rule.trim().match(/^([A-Za-z,\-]+)\s+(.+)$/);
        if (!m) return rule.trim();
        var dayText = m[1].split(",").map(function (part) {
          var ends = part.split("-").map(function (c) { return strings.days[CODES.indexOf(c)] || c; });
          return ends.join(" – ");
        }).join(", ");
        var times = m[2].split(",").map(function (span) {
          var t = span.split("-");
          return t.length === 2 ? strings.hoursFrom + " " + t[0] + " " + strings.hoursTo + " " + t[1] : span;
        }).join(" " + strings.hoursAnd + " ");
        return dayText + " " + times;
      }).join("; ");
    }
    function show() { words.textContent = field.value.trim() ? strings.hoursWords + " " + inWords(field.value) : ""; }
    document.getElementById("hours-add").addEventListener("click", function () {
      var chosen = Array.prototype.map.call(days.querySelectorAll("input:checked"), function (box) { return box.value; });
      var from = document.getElementById("hours-from").value, to = document.getElementById("hours-to").value;
      if (!chosen.length || !from || !to || to <= from) { words.textContent = strings.hoursInvalid; return; }
      var rule = dayRanges(chosen) + " " + from + "-" + to;
      field.value = field.value.trim() ? field.value.trim() + "; " + rule : rule;
      Array.prototype.forEach.call(days.querySelectorAll("input:checked"), function (box) { box.checked = false; });
      show();
    });
    field.addEventListener("input", show);
    show();
  }

  setUpMap();
  setUpAttributes();
  setUpHours();
})();
