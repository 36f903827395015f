// Editing text in place. Enter (or Ctrl+Enter) saves, Shift+Enter starts a new line in a card,
// Escape cancels. Leaving the field saves too: what someone typed is never dropped silently.

export function openTextEditor({ host, before = null, value, multiline, label, maxLength, onSave, onCancel }) {
  const field = document.createElement(multiline ? "textarea" : "input");
  field.className = "text-editor";
  field.value = value;
  field.setAttribute("aria-label", label);
  if (maxLength) field.maxLength = maxLength;
  if (multiline) field.rows = Math.min(8, Math.max(2, value.split("\n").length + 1));
  let done = false;
  const finish = (save) => {
    if (done) return;
    done = true;
    const text = field.value;
    field.remove();
    if (save) onSave(text);
    else onCancel();
  };
  field.addEventListener("keydown", (event) => {
    event.stopPropagation(); // the board's own keys (arrows, Space) must not fire while typing
    if (event.key === "Escape") {
      event.preventDefault();
      finish(false);
    } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey || !event.shiftKey)) {
      event.preventDefault();
      finish(true);
    }
  });
  field.addEventListener("blur", () => finish(true));
  host.insertBefore(field, before);
  field.focus();
  field.setSelectionRange(value.length, value.length); // caret at the end: one stray key must not wipe the text
  return field;
}
