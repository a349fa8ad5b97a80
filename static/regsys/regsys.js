/* regsys page behaviour, loaded on every page. No inline scripts or on*= attributes in templates
   (Content-Security-Policy: script-src 'self'); templates mark elements with data-* attributes. */
(function () {
  "use strict";

  // <form data-confirm="…"> and <button data-confirm="…">: ask before submitting.
  document.addEventListener("submit", function (ev) {
    const form = ev.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      ev.preventDefault();
    }
  });
  document.addEventListener("click", function (ev) {
    const button = ev.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) {
      ev.preventDefault();
    }
  });

  // <select data-autosubmit>: submit its form when the choice changes.
  document.addEventListener("change", function (ev) {
    if (ev.target.matches("select[data-autosubmit]") && ev.target.form) {
      ev.target.form.submit();
    }
  });

  // <form data-bootstrap-fields>: give plain widgets Bootstrap's form-control class.
  function styleFields(root) {
    root.querySelectorAll(
      "form[data-bootstrap-fields] input:not([type=checkbox]):not([type=radio]):not([type=hidden])," +
      " form[data-bootstrap-fields] select, form[data-bootstrap-fields] textarea"
    ).forEach(function (el) { el.classList.add("form-control"); });
  }

  // The 证照已过期 warning of the picked enterprise (enterprises/duties/expiry/_warning.html).
  function showExpiredLicence(text) {
    const warning = document.getElementById("expired-licence-warning");
    if (!warning) {
      return;
    }
    document.getElementById("expired-licence-text").textContent = text;
    warning.classList.toggle("d-none", !text);
  }

  // Enterprise picker (inspections/_enterprise_picker.html): pick a search result, or search again.
  document.addEventListener("click", function (ev) {
    const choice = ev.target.closest(".enterprise-choice");
    if (choice) {
      const picked = document.getElementById("id_enterprise");
      picked.value = choice.dataset.id;
      picked.dispatchEvent(new Event("change", { bubbles: true }));  // e.g. redraws 所属专项整治
      document.getElementById("enterprise-chosen-name").textContent = choice.dataset.name;
      document.getElementById("enterprise-chosen").classList.remove("d-none");
      document.getElementById("enterprise-search").classList.add("d-none");
      document.getElementById("enterprise-results-box").innerHTML = "";
      showExpiredLicence(choice.dataset.expired || "");
    }
    if (ev.target.id === "enterprise-change") {
      const cleared = document.getElementById("id_enterprise");
      cleared.value = "";
      cleared.dispatchEvent(new Event("change", { bubbles: true }));
      document.getElementById("enterprise-chosen").classList.add("d-none");
      showExpiredLicence("");
      const box = document.getElementById("enterprise-search");
      box.classList.remove("d-none");
      box.focus();
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { styleFields(document); });
  } else {
    styleFields(document);
  }
})();
