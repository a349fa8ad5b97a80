// Form designer: a cell definition form shows only the fields its chosen cell type uses.
(function () {
  const kind = document.getElementById("id_kind");
  if (!kind) return;
  const uses = {computed: ["metric"], manual: ["min_value", "max_value", "required"], formula: ["formula"], none: []};
  const all = ["metric", "formula", "min_value", "max_value", "required"];
  function update() {
    for (const name of all) {
      const box = document.querySelector(`[data-field="${name}"]`);
      if (box) box.hidden = !(uses[kind.value] || []).includes(name);
    }
  }
  kind.addEventListener("change", update);
  update();
})();
