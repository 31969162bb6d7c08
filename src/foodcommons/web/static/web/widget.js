// The widget page: writes the iframe snippet from the chosen filters and previews it.
(function () {
  "use strict";
  var form = document.getElementById("widget-form"), snippet = document.getElementById("snippet"), preview = document.getElementById("preview");
  function update() {
    var query = new URLSearchParams();
    ["category", "territory"].forEach(function (name) { if (form.elements[name].value) query.set(name, form.elements[name].value); });
    var height = Math.max(200, Math.min(2000, parseInt(form.elements.height.value, 10) || 500));
    var path = "/embed" + (query.toString() ? "?" + query.toString() : "");
    snippet.value = '<iframe src="' + snippet.dataset.base + path.slice(6) + '" width="100%" height="' + height + '" style="border:0" title="foodcommons"></iframe>';
    preview.src = path;
    preview.height = height;
  }
  form.addEventListener("change", update);
  update();
})();
