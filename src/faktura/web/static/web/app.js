// Small behaviours of the seller app that HTML alone cannot do.
document.addEventListener("click", (event) => {
  // <button data-confirm="..."> asks before it submits (delete, cancel, bulk actions).
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

document.addEventListener("change", (event) => {
  // <input type="checkbox" data-select-all="name"> ticks every checkbox named "name".
  const all = event.target.closest("[data-select-all]");
  if (all) {
    document.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"]`).forEach((box) => {
      box.checked = all.checked;
    });
  }
});
