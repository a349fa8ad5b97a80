/* Return request form (reporting/return_form.html): the cut-off follows the campaign chosen.
   <select data-next-due='{"<campaign id>": "YYYY-MM-DD"}'>: on a change of campaign, the cut-off is set to
   that campaign's next due date unless the user has typed a date of their own. */
(function () {
  "use strict";
  const campaign = document.querySelector("select[data-next-due]");
  const cutoff = document.getElementById("id_cutoff");
  if (!campaign || !cutoff) { return; }
  const due = JSON.parse(campaign.dataset.nextDue || "{}");
  let suggested = cutoff.value;
  cutoff.addEventListener("input", function () { suggested = null; });
  campaign.addEventListener("change", function () {
    if (suggested === null && cutoff.value) { return; }
    suggested = due[campaign.value] || "";
    cutoff.value = suggested;
  });
})();
