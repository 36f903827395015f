// The small pieces the mapping editor of the importing page is built of: a select, a labelled
// control, a label only a screen reader reads, the options naming a file's columns; and the bits
// of mapping arithmetic its controls need (a field moved to another column, a numeric column).

import { el } from "./dom.js";

let counter = 0;
export const uid = (stem) => `${stem}-${++counter}`;
export const clone = (value) => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

export function select(options, value, attrs = {}) {
  const node = el("select", attrs, ...options.map(([key, text]) => el("option", { value: key, text })));
  node.value = value ?? "";
  return node;
}

// A labelled control in a row of its own: <label>Words</label> <control>.
export function labelled(text, control, help = null) {
  control.id ||= uid("map");
  const helpNode = help ? el("span", { class: "help", id: uid("help"), text: help }) : null;
  if (helpNode) control.setAttribute("aria-describedby", helpNode.id);
  return el("div", { class: "map-field" }, el("label", { for: control.id, text }), control, helpNode);
}

export const hidden = (text, control) => {
  control.id ||= uid("map");
  return el("label", { class: "visually-hidden", for: control.id, text });
};

// A column by its name, and by its question when the file gives one apart (Qualtrics' Q1).
export const columnOptions = (header, none, texts = new Map()) => [["", none], ...header.map((column) => {
  const text = texts.get(column);
  return [column, text && text !== column ? `${column}: ${text}` : column];
})];

// {column: field} with `field` moved to `column` ("" takes it away), in the original's order.
export function remap(columns, field, column) {
  const out = {};
  let placed = false;
  for (const [name, mapped] of Object.entries(columns)) {
    if (mapped === field) {
      if (column) { out[column] = field; placed = true; }
    } else if (name !== column) {
      out[name] = mapped;
    }
  }
  if (column && !placed) out[column] = field;
  return out;
}

export const columnOf = (columns, field) => Object.keys(columns).find((name) => columns[name] === field) || "";

// Does every non-empty sample cell of this column read as a number?
export function looksNumeric(preview, column) {
  const index = preview.header.indexOf(column);
  const cells = preview.sample.map((row) => (row[index] || "").trim()).filter(Boolean);
  return cells.length > 0 && cells.every((cell) => /^[-+]?[\d\s.,]*\d[\d\s.,]*%?$/.test(cell));
}
