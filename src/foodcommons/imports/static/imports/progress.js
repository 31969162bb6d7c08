// Follows an import in progress: polls its small JSON state and opens the report when it is ready.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box) { return; }
  var bar = document.getElementById("import-bar");
  var done = document.getElementById("import-done");
  var total = document.getElementById("import-total");
  var stage = document.getElementById("import-stage");
  function poll() {
    fetch(box.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (job.status === "done" && job.report) { window.location.assign(job.report); return; }
        if (job.status === "failed") { window.location.reload(); return; }
        bar.max = Math.max(job.total, 1);
        bar.value = job.done;
        bar.textContent = job.done + " / " + job.total;
        done.textContent = job.done;
        total.textContent = job.total;
        var key = "stage" + job.stage.charAt(0).toUpperCase() + job.stage.slice(1);
        stage.textContent = box.dataset[key] || job.stage;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
}());
