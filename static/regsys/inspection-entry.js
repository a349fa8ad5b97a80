/* Inspection entry (quick entry and the full form): officer rows, the quick-entry checklist. */
(function () {
  "use strict";

  // <button data-formset-add="prefix">: append a row from <template id="prefix-empty"> (no blank rows up front).
  document.addEventListener("click", function (ev) {
    const button = ev.target.closest("[data-formset-add]");
    if (!button) {
      return;
    }
    const prefix = button.dataset.formsetAdd;
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const template = document.getElementById(prefix + "-empty");
    const rows = document.getElementById(prefix + "-rows");
    const index = parseInt(total.value, 10);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = rows.lastElementChild && rows.lastElementChild.querySelector("select, input");
    if (added) {
      added.focus();
    }
  });

  // Quick entry: load the chosen enterprise's checklist.
  document.addEventListener("click", function (ev) {
    const choice = ev.target.closest(".enterprise-choice");
    const box = document.getElementById("quick-checklist");
    if (!choice || !box || typeof htmx === "undefined") {
      return;
    }
    htmx.ajax("GET", box.dataset.url + "?enterprise=" + encodeURIComponent(choice.dataset.id),
      {target: "#quick-checklist", swap: "outerHTML"});
  });

  // "其余全部符合": every item without an answer becomes 符合; answered items keep theirs.
  document.addEventListener("click", function (ev) {
    if (!ev.target.closest("#checklist-rest-yes")) {
      return;
    }
    document.querySelectorAll("#quick-checklist .checklist-item").forEach(function (item) {
      if (!item.querySelector("input[type=radio]:checked")) {
        const yes = item.querySelector("input[type=radio][value=yes]");
        if (yes) {
          yes.checked = true;
        }
      }
    });
  });

  // A 拍照 button (a label around a hidden camera input): say how many photos were taken.
  document.addEventListener("change", function (ev) {
    const input = ev.target;
    if (!input.matches || !input.matches(".photo-button input[type=file]")) {
      return;
    }
    const label = input.closest(".photo-button");
    const count = input.files ? input.files.length : 0;
    label.classList.toggle("active", count > 0);
    label.querySelector("span").textContent = count ? "已选照片 " + count + " 张" : label.dataset.emptyText;
  });
})();
