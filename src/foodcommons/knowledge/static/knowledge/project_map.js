// The map of projects: one marker per province (or the Brussels region), its popup listing the projects there.
document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("project-map");
  var data = document.getElementById("project-areas");
  if (!root || !data || typeof L === "undefined") return;
  var areas = JSON.parse(data.textContent);
  var map = L.map(root).fitBounds([[49.5, 2.55], [51.5, 6.4]]);
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
    L.marker([area.lat, area.lon], { title: area.name, keyboard: true }).addTo(map).bindPopup(list);
  });
});
