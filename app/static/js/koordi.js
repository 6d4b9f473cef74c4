// Koordi's only script: small, vendored, no network. Pages work without it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a failed submit, move focus to the list of errors so a screen reader announces it.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    // Buttons that destroy something ask first: <button data-confirm="...">.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
