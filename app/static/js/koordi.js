// Koordi's only script: small, vendored, no network. Pages work without it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a failed submit, move focus to the list of errors so a screen reader announces it.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    // The field marked `autofocus` takes the focus now. The browser applies the attribute only at
    // its next rendering, which on a busy laptop comes after the page has loaded: keys typed
    // in between went nowhere. A field focused here makes the browser skip its own autofocus.
    var first = document.querySelector("[autofocus]");
    if (first && (!document.activeElement || document.activeElement === document.body)) { first.focus(); }
    // Leaving a half-filled form asks first (the browser's own "Leave site?" question): a
    // form the user has changed, or one shown again with its messages (it holds what was
    // typed and is not saved), until it is sent. Browsers ask only after the user has
    // interacted with the page, so merely opening one never asks.
    var unsaved = null;
    document.querySelectorAll("form.form[method=post]").forEach(function (form) {
      var mark = function () { unsaved = form; };
      form.addEventListener("input", mark);
      form.addEventListener("change", mark);
      form.addEventListener("submit", function () { unsaved = null; });
      if (form.querySelector(".field-error, .warning")) { unsaved = form; }
    });
    window.addEventListener("beforeunload", function (event) {
      if (unsaved) { event.preventDefault(); event.returnValue = ""; }
    });
    // The navigation's "More" menu (a <details>) closes like a menu: on Escape (focus back
    // on its button) and on a click or focus anywhere else.
    document.querySelectorAll(".nav-more details").forEach(function (menu) {
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          menu.querySelector("summary").focus();
        }
      });
      ["click", "focusin"].forEach(function (type) {
        document.addEventListener(type, function (event) {
          if (menu.open && !menu.contains(event.target)) { menu.open = false; }
        });
      });
    });
    // Buttons that destroy something ask first: <button data-confirm="...">.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
    // A file input's own button is hidden under a translated one: say which file was chosen.
    document.querySelectorAll(".file-pick input[type=file]").forEach(function (input) {
      var chosen = document.getElementById(input.id + "-chosen");
      input.addEventListener("change", function () {
        var names = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
        chosen.textContent = names.length ? names.join(", ") : chosen.getAttribute("data-none");
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
