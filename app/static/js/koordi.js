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
    // A file over the upload limit is refused here: the server cuts such an upload off
    // unread, so its page could not say why. <input type="file" data-max-bytes data-too-large>.
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      input.addEventListener("change", function () { input.setCustomValidity(""); });
      input.form.addEventListener("submit", function (event) {
        var file = input.files && input.files[0];
        if (file && file.size > Number(input.getAttribute("data-max-bytes"))) {
          event.preventDefault();
          input.setCustomValidity(input.getAttribute("data-too-large"));
          input.reportValidity();
        }
      });
    });
  });
})();
