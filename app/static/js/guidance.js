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

    function announce(text) { if (status) { status.textContent = text || ""; } }

    // "Tick the whole group": tick the cohort's boxes in place. Without this script the button
    // sends the form by GET and the page comes back with the group ticked.
    form.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button.tick-cohort");
      if (!button) { return; }
      event.preventDefault();
      var group = button.closest(".cohort-group");
      group.querySelectorAll('input[name="trainees"]').forEach(function (box) { box.checked = true; });
      announce(button.getAttribute("data-done"));
    });

    // "Add trainee": post the form with fetch; the server adds the trainee (nothing else is saved)
    // and answers with the checkboxes, the newcomer ticked, and a fresh fieldset.
    function addTrainee() {
      var body = new FormData(form);
      body.set("add_trainee", "1");
      fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" }
      })
        .then(function (response) {
          if (response.status !== 200 && response.status !== 422) { return Promise.reject(response.status); }
          return response.json();
        })
        .then(function (data) {
          var adder = document.getElementById("trainee-adder");
          adder.outerHTML = data.adder;
          if (data.ok) { box.innerHTML = data.options; }
          adder = document.getElementById("trainee-adder");
          adder.open = true;
          var target = data.ok ? adder.querySelector("#new-name") : adder.querySelector('[aria-invalid="true"]');
          (target || adder.querySelector("#new-name")).focus();
          announce(data.message);
        })
        .catch(function () { // the page way: the button's own post
          form.requestSubmit(form.querySelector('button[name="add_trainee"]'));
        });
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest('button[name="add_trainee"]');
      if (!button) { return; }
      event.preventDefault();
      addTrainee();
    });
    // Enter in the fieldset adds the person; elsewhere it still saves the session.
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.target.tagName !== "INPUT") { return; }
      if (!event.target.closest("#trainee-adder")) { return; }
      event.preventDefault();
      addTrainee();
    });
  });
})();
