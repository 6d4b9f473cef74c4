// Session form enhancement: changing the method swaps in that method's trainees without a reload,
// so focus stays on the method list. Without this script the "Show the method's trainees" button
// does the same with a normal GET.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.session-form");
    var select = form && form.querySelector("select#method");
    var box = document.getElementById("trainee-options");
    if (!form || !select || !box || !window.fetch || !window.URLSearchParams) { return; }
    var status = document.getElementById("trainee-options-status");
    form.classList.add("js-options");

    function kind() {
      var checked = form.querySelector('input[name="kind"]:checked');
      return checked ? checked.value : "group";
    }

    select.addEventListener("change", function () {
      var wanted = select.value;
      var params = new URLSearchParams({ method: wanted, kind: kind() });
      if (form.getAttribute("data-session")) { params.set("session", form.getAttribute("data-session")); }
      fetch(form.getAttribute("data-options-url") + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          if (select.value !== wanted) { return; } // a newer choice is on its way
          box.innerHTML = html;
          var hint = document.getElementById("trainees-hint");
          if (status && hint) { status.textContent = hint.textContent; }
        })
        .catch(function () { form.classList.remove("js-options"); }); // bring the button back
    });
  });
})();
