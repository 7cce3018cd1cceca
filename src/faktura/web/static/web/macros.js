// The macro list next to the field templates: a click puts the macro where the cursor was.
(() => {
  let last = null;
  document.addEventListener("focusin", (event) => {
    if (event.target.matches("[data-macro-target]")) last = event.target;
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-insert-macro]");
    if (!button) return;
    event.preventDefault();
    const field = last || document.querySelector("[data-macro-target]");
    if (!field) return;
    const text = button.dataset.insertMacro;
    const start = field.selectionStart ?? field.value.length;
    const end = field.selectionEnd ?? field.value.length;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.focus();
    field.setSelectionRange(start + text.length, start + text.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
