// The map of projects: one marker per province (or the Brussels region), its popup listing the projects there.
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("project-map");
  var data = document.getElementById("project-areas");
  if (!root || !data || typeof L === "undefined") return;
  var areas = JSON.parse(data.textContent);
  var map = L.map(root, { fadeAnimation: false }).fitBounds([[49.5, 2.55], [51.5, 6.4]]);
  if (root.dataset.tileUrl) L.tileLayer(root.dataset.tileUrl, { attribution: root.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  areas.forEach(function (area) {
    var list = document.createElement("div");
    var title = document.createElement("a");
    title.href = "/knowledge/projects/?territory=" + encodeURIComponent(area.code);
    title.textContent = area.name + " (" + area.projects.length + ")";
    list.appendChild(title);
    var ul = document.createElement("ul");
    area.projects.forEach(function (p) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "/knowledge/projects/" + encodeURIComponent(p.id);
      a.textContent = p.title;
      li.appendChild(a);
      ul.appendChild(li);
    });
    list.appendChild(ul);
    // A disc with the number of projects (Leaflet's image icon needs a path guess that fails behind the static files).
    var icon = L.divIcon({ className: "project-area", html: String(area.projects.length), iconSize: [36, 36] });
    L.marker([area.lat, area.lon], { icon: icon, title: area.name, alt: area.name, keyboard: true }).addTo(map).bindPopup(list);
  });
});
