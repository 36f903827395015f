// What the importing page says about personal data: whether the map masks e-mail addresses,
// phone numbers and IP addresses in the text it stores (with the switch, for a facilitator),
// and what is kept of a column with personal data that someone maps on purpose. The words
// about each column are the server's (the preview's `personal`, a check's `personal`); here
// is only which columns a mapping reads. Everything goes into the page as text.

import { el } from "./dom.js";
import { putJson } from "./import-run.js";

// The note in "What the file holds": masking on or off, and the switch for a facilitator.
// `onSwitched()` is told once the map's setting changed (the page previews the file again).
export function maskingNote(preview, { settingsUrl, onSwitched }) {
  const { on, can_change: canChange } = preview.masking || { on: true, can_change: false };
  const words = on
    ? "E-mail addresses, phone numbers and IP addresses in answers, quotes and notes are stored "
      + "masked, as [e-mail], [phone] and [IP]; the first rows below show them so."
    : "Masking is off on this map: e-mail addresses, phone numbers and IP addresses in the "
      + "text are stored as they are.";
  const note = el("div", { class: "found-note masking", "data-masking": on ? "on" : "off" },
    el("h3", { text: "Personal data in the text" }), el("p", { text: words }));
  if (!canChange) {
    note.append(el("p", { class: "help", text: "A facilitator of the workshop can turn this off for the map." }));
    return note;
  }
  const box = el("input", { type: "checkbox", id: "masking-switch" });
  box.checked = on;
  const status = el("p", { class: "import-status", role: "status" });
  box.addEventListener("change", async () => {
    box.disabled = true;
    try {
      await putJson(settingsUrl, { mask_personal_data: box.checked });
      onSwitched();
    } catch (failure) {
      box.checked = !box.checked;
      status.textContent = `Not changed: ${failure.message}`;
    } finally {
      box.disabled = false;
    }
  });
  note.append(el("div", { class: "map-check" }, box, el("label", { for: box.id,
    text: "Mask personal data in the text of this map’s evidence (every way in, from now on)" })), status);
  return note;
}

// The columns a mapping reads (evidence/importing/__init__.py has its shapes).
export function columnsRead(mapping) {
  const read = new Set(Object.entries(mapping.columns || {}).filter(([, field]) => field).map(([c]) => c));
  for (const question of mapping.questions || []) {
    read.add(question.column);
    if (question.reason) read.add(question.reason);
  }
  for (const value of mapping.values || []) read.add(value.column);
  for (const label of [mapping.label].flat()) if (label) read.add(label);
  if (mapping.sample_size) read.add(mapping.sample_size);
  return read;
}

// "the column Email is mapped: e-mail addresses will be masked ([e-mail])", for each column
// with personal data the mapping reads.
export function mappedPersonal(preview, mapping) {
  const read = columnsRead(mapping);
  return (preview.personal || []).filter(({ column }) => read.has(column)).map(({ if_mapped: kept }) => kept);
}

// The note under the mapping (or in a check's report): nothing when no such column is read.
export function personalNote(lines, { id = null } = {}) {
  const note = el("div", { class: "found-note personal-mapped", id, "data-report": "personal" });
  note.hidden = !lines.length;
  note.append(el("h3", { text: "Personal data you chose to import" }),
    el("ul", {}, ...lines.map((text) => el("li", { text }))));
  return note;
}
