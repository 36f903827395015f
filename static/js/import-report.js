// What the importing page shows of the server's answers: what a file holds (the preview: its
// tool, kind, shape, rows, the rows skipped and the columns left out, its first rows) and what a
// check or a started job found (how many pieces go in, which rows fail and why). Everything here
// comes from the user's file or is about it, and goes into the page as text only.

import { el } from "./dom.js";
import { personalNote } from "./import-personal.js";
import {
  KIND_NAMES, SOURCE_NAMES, fieldLabel, pieces, plural, rows, shapeWords,
} from "./import-words.js";

const LISTED = 200; // the API lists the first 200 failed rows

export function facts(preview) {
  const entries = [
    ["Tool", SOURCE_NAMES[preview.source] || preview.source],
    ["Evidence", KIND_NAMES[preview.kind] || preview.kind],
    ["Shape", shapeWords(preview.shape, preview.kind)],
    ["Rows", `${rows(preview.rows)} of data (${preview.format.toUpperCase()}, the header on row ${
      preview.header_row ?? preview.first_data_row - 1})`],
  ];
  return entries.flatMap(([term, text]) => [el("dt", { text: term }),
    el("dd", { text, "data-fact": term.toLowerCase() })]);
}

export function notes(preview) {
  const parts = [];
  if (preview.skipped.length) {
    parts.push(el("div", { class: "found-note" },
      el("h3", { text: `${plural(preview.skipped.length, "row", "rows")} above the table skipped` }),
      el("ul", { class: "skipped" }, ...skippedLines(preview.skipped))));
  }
  if (preview.left_out.length) {
    const holds = new Map((preview.personal || []).map(({ column, holds: what }) => [column, what]));
    parts.push(el("div", { class: "found-note personal" },
      el("h3", { text: "Left out as personal data" }),
      el("p", { text: "These columns hold personal data and are not imported; you may still map "
        + "one on purpose, and the mapping then says what is kept of it:" }),
      el("ul", { class: "left-out" }, ...preview.left_out.map((column) => el("li", {
        text: holds.has(column) ? `${column} (${holds.get(column)})` : column })))));
  }
  return parts;
}

// Runs of the same reason read as one line: "Rows 1-9: a comment line above the table".
function skippedLines(skipped) {
  const runs = [];
  for (const { row, reason } of skipped) {
    const last = runs.at(-1);
    if (last && last.reason === reason && last.to === row - 1) last.to = row;
    else runs.push({ from: row, to: row, reason });
  }
  return runs.map(({ from, to, reason }) => el("li", {
    text: `${from === to ? `Row ${from}` : `Rows ${from}-${to}`}: ${reason}`,
  }));
}

export function sampleTable(preview) {
  const width = preview.header.length;
  const first = preview.first_data_row;
  const cell = (tag, text, attrs = {}) => el(tag, { ...attrs, text, title: text.length > 40 ? text : null });
  return el("table", { class: "sample-table" },
    el("caption", { class: "visually-hidden",
      text: `The first ${rows(preview.sample.length)} of the file, with their row numbers` }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Row" }),
      ...preview.header.map((name) => cell("th", name, {
        scope: "col", class: preview.left_out.includes(name) ? "personal" : null,
      })))),
    el("tbody", {}, ...preview.sample.map((cells, index) => el("tr", {},
      el("th", { scope: "row", class: "row-number", text: String(first + index) }),
      ...Array.from({ length: width }, (_, i) => cell("td", cells[i] ?? "", {
        class: preview.left_out.includes(preview.header[i]) ? "personal" : null,
      }))))));
}

// --- the check and the import ---------------------------------------------------------------

// "14 survey answers will go in, from 6 rows." and the failed rows, by row number.
export function checkReport(report) {
  const parts = [el("p", { class: "report-headline", "data-report": "valid",
    text: report.valid
      ? `${pieces(report.valid, report.kind)} will go in, from ${rows(report.rows)} in the file.`
      : `Nothing would go in: none of the ${rows(report.rows)} gives a piece of evidence.` })];
  if (report.personal?.length) parts.push(personalNote(report.personal));
  parts.push(failures(report));
  return parts;
}

export function failures(report) {
  if (!report.failed) {
    return el("p", { class: "report-ok", "data-report": "failed", text: "No row fails." });
  }
  const listed = report.errors.length < report.failed
    ? ` The first ${Math.min(report.errors.length, LISTED)} are listed.` : "";
  return el("div", { class: "report-failures" },
    el("p", { class: "report-failed", "data-report": "failed",
      text: `${plural(report.failed, "row fails", "rows fail")} and would be left out.${listed}` }),
    el("ol", { class: "row-errors", "aria-label": "Rows that fail" },
      ...report.errors.map(({ row, errors }) => el("li", {},
        el("span", { class: "row-number", text: `Row ${row}` }),
        el("ul", {}, ...Object.entries(errors).flatMap(([name, messages]) => messages.map((message) =>
          el("li", {}, el("span", { class: "error-field", text: `${fieldLabel(name)}: ` }),
            el("span", { text: message })))))))));
}

// The server's 400 as {where: [messages]}, where being a field of the form.
export function fieldMessages(fields) {
  return Object.entries(fields).flatMap(([name, messages]) => [messages].flat()
    .map((message) => (typeof message === "string" ? message : JSON.stringify(message)))
    .map((message) => ({ name, message })));
}
