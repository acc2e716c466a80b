// Keeps an import run's page up to date: polls its progress.json and moves the bar.
// When the run has finished, the page is reloaded once to show the whole log.
(function () {
  "use strict";
  var box = document.getElementById("run-progress-box");
  if (!box || !box.dataset.progressUrl || !window.fetch) {
    return;
  }
  var url = box.dataset.progressUrl;
  var bar = document.getElementById("run-progress");
  var percent = document.getElementById("run-percent");
  var status = document.getElementById("run-status");
  var counts = ["added", "changed", "unchanged", "missing"];

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
    percent.textContent = data.percent + " %";
    if (status.textContent !== data.status_label) {
      status.textContent = data.status_label;
    }
    counts.forEach(function (name) {
      var cell = document.getElementById("count-" + name);
      if (cell) {
        cell.textContent = data[name];
      }
    });
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, 2000);
})();
