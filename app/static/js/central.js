// The central office's merge page: drop zips onto the form, and follow a running merge.
// Small, vendored, no network beyond this app's own pages. The pages work without it
// (choose files with the button; the run's page has a Refresh link).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var zone = document.querySelector("[data-drop-zone]");
    if (zone) {
      var input = zone.querySelector("input[type=file]");
      var chosen = zone.querySelector("[data-chosen]");
      var hint = zone.querySelector("[data-drop-hint]");
      if (hint) { hint.hidden = false; }
      var show = function () {
        chosen.textContent = "";
        Array.prototype.forEach.call(input.files, function (file) {
          var item = document.createElement("li");
          item.textContent = file.name;
          chosen.appendChild(item);
        });
      };
      input.addEventListener("change", show);
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (event) {
          event.preventDefault();
          zone.classList.add("drop-active");
        });
      });
      ["dragleave", "drop"].forEach(function (type) {
        zone.addEventListener(type, function () { zone.classList.remove("drop-active"); });
      });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (event.dataTransfer && event.dataTransfer.files.length) {
          input.files = event.dataTransfer.files;
          show();
        }
      });
    }

    // A running merge: fetch the status part every second; replace the list of files and
    // update the one live sentence (so a screen reader hears the count, not the whole list).
    var status = document.querySelector("[data-poll]");
    if (status) {
      var url = status.getAttribute("data-poll");
      var poll = function () {
        fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
          .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
          .then(function (html) {
            var next = document.createElement("div");
            next.innerHTML = html;
            var sentence = status.querySelector(".merge-progress");
            var nextSentence = next.querySelector(".merge-progress");
            if (sentence.textContent.trim() !== nextSentence.textContent.trim()) {
              sentence.textContent = nextSentence.textContent;
            }
            status.querySelector(".merge-files").replaceWith(next.querySelector(".merge-files"));
            if (nextSentence.getAttribute("data-done") === "true") {
              sentence.setAttribute("data-done", "true");
              var refresh = document.querySelector(".no-script-hint");
              if (refresh) { refresh.hidden = true; }
            } else {
              window.setTimeout(poll, 1000);
            }
          })
          .catch(function () { window.setTimeout(poll, 3000); });
      };
      window.setTimeout(poll, 500);
    }
  });
})();
