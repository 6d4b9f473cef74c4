// The move form: the reason fields belong to a pause or an end only, so they are shown while
// one of those phases is chosen. Without this script they are always shown (and ignored for
// other phases).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset[data-show-for-phase]").forEach(function (box) {
      var select = box.form && box.form.elements.namedItem("phase");
      if (!select) { return; }
      var phases = box.getAttribute("data-show-for-phase").split(" ");
      function update() { box.hidden = phases.indexOf(select.value) < 0; }
      select.addEventListener("change", update);
      update();
    });
  });
})();
