// The mapping editor of the importing page: the preview's proposed mapping as plain controls, one
// per choice a person can make (which field a column fills, which questions to bring in and on
// which scale, which numbers and their units, how dates are written), and the mapping built back
// from them. The build starts from the proposal and changes only what a control changed, so the
// untouched proposal goes back exactly as it came (the shapes: evidence/importing/__init__.py).
// Column names and cells come from the user's file: they go into the page as text only.

import { el } from "./dom.js";
import {
  clone, columnOf, columnOptions, hidden, labelled, looksNumeric, remap, select, uid,
} from "./import-controls.js";
import { SCALE_LABELS, fieldLabel, sameValue } from "./import-words.js";

export class MappingEditor {
  constructor(holder, { onChange }) {
    this.holder = holder;
    this.onChange = onChange;
    holder.addEventListener("change", () => this.changed());
    holder.addEventListener("input", (event) => {
      if (event.target.matches("input[type=text], input[type=number]")) this.changed();
    });
  }

  changed() {
    this.syncDisabled();
    this.onChange(this.mapping());
  }

  show(preview) {
    this.preview = preview;
    this.proposal = preview.mapping;
    this.controls = {};
    const { shape, kind } = this.proposal;
    const parts = shape === "long" ? this.longControls()
      : kind === "survey" ? this.surveyControls() : this.metricControls();
    this.holder.replaceChildren(...parts, ...this.sharedControls());
    this.syncDisabled();
  }

  setDisabled(disabled) {
    for (const node of this.holder.querySelectorAll("input, select")) node.disabled = disabled;
    if (!disabled) this.syncDisabled();
  }

  // --- one row, one piece: a select per column ----------------------------------------------

  longControls() {
    const { header, fields, required, left_out: leftOut, sample } = this.preview;
    const columns = this.proposal.columns || {};
    const options = [["", "Leave out"], ...fields.map((name) => [name, fieldLabel(name, required)])];
    this.controls.columns = new Map();
    const rows = header.map((column, index) => {
      const control = select(options, columns[column] || "");
      this.controls.columns.set(column, control);
      const personal = leftOut.includes(column);
      const example = sample.find((row) => (row[index] || "").trim())?.[index] || "";
      return el("tr", {},
        el("th", { scope: "row" }, el("span", { class: "column-name", text: column }),
          personal ? el("span", { class: "tag personal", text: "personal data" }) : null,
          column === this.preview.stage_column
            ? el("span", { class: "tag stage", text: "names a stage (step 4)" }) : null),
        el("td", { class: "example", text: example, title: example }),
        el("td", {}, hidden(`${column} becomes`, control), control));
    });
    return [el("table", { class: "mapping-table" },
      el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Column" }),
        el("th", { scope: "col", text: "For example" }), el("th", { scope: "col", text: "Becomes" }))),
      el("tbody", {}, ...rows))];
  }

  // --- a row per respondent: a row per candidate question -------------------------------------

  surveyControls() {
    const { header, questions } = this.preview;
    const chosen = new Map((this.proposal.questions || []).map((entry) => [entry.column, entry]));
    const scales = Object.entries(SCALE_LABELS);
    const texts = new Map(questions.map((question) => [question.column, question.question]));
    this.controls.questions = questions.map((question) => {
      const entry = chosen.get(question.column);
      const include = el("input", { type: "checkbox", class: "include" });
      include.checked = Boolean(entry);
      const scale = select(scales, (entry ? entry.scale : question.scale) || "");
      const reasons = columnOptions(header.filter((c) => c !== question.column), "No reason column", texts);
      const reason = select(reasons, (entry ? entry.reason : question.reason) || "");
      return { question, include, scale, reason };
    });
    const rows = this.controls.questions.map(({ question, include, scale, reason }) => el("tr", {},
      el("td", { class: "check" }, include, hidden(`Import “${question.column}”`, include)),
      el("th", { scope: "row" },
        el("span", { class: "column-name", text: question.question }),
        question.question !== question.column
          ? el("span", { class: "help", text: `Column ${question.column}` }) : null,
        el("span", { class: "help", text: `${question.answers} answered · ${question.why}` })),
      el("td", {}, hidden(`Scale of “${question.column}”`, scale), scale),
      el("td", {}, hidden(`Reason column for “${question.column}”`, reason), reason)));
    const columns = this.proposal.columns || {};
    this.controls.date = select(columnOptions(header, "No date column"), columnOf(columns, "collected_on"));
    this.controls.segment = select(columnOptions(header, "No segment column", texts),
      columnOf(columns, "segment"));
    return [
      el("table", { class: "mapping-table questions" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Import" }),
          el("th", { scope: "col", text: "Question" }), el("th", { scope: "col", text: "Scale" }),
          el("th", { scope: "col", text: "Reason for the score" }))),
        el("tbody", {}, ...rows)),
      el("div", { class: "map-fields" },
        labelled("Date of each response", this.controls.date),
        labelled("Segment of each respondent", this.controls.segment,
          "Device, plan, country…: scores are shown per segment.")),
    ];
  }

  // --- a row per page or channel: a row per number column -------------------------------------

  metricControls() {
    const { header } = this.preview;
    const { label, values = [], comparison, sample_size: sampleSize } = this.proposal;
    const labelOptions = [["null", "Nothing: name each metric by its column alone"],
      ...header.map((column) => [JSON.stringify(column), column])];
    if (Array.isArray(label) && label.length > 1) labelOptions.push([JSON.stringify(label), label.join(" / ")]);
    const labelValue = Array.isArray(label) && label.length === 1 ? label[0] : label ?? null;
    this.controls.label = select(labelOptions, JSON.stringify(labelValue));
    const proposed = new Map(values.map((entry) => [entry.column, entry]));
    const labels = new Set([label].flat());
    const candidates = header.filter((column) => proposed.has(column)
      || (!labels.has(column) && column !== comparison?.column && looksNumeric(this.preview, column)));
    this.controls.values = candidates.map((column) => {
      const entry = proposed.get(column);
      const include = el("input", { type: "checkbox", class: "include" });
      include.checked = Boolean(entry);
      const unit = el("input", { type: "text", class: "unit", maxlength: "30", value: entry?.unit || "" });
      const multiply = el("input", { type: "number", class: "multiply", step: "any",
        value: String(entry?.multiply ?? 1) });
      return { column, include, unit, multiply };
    });
    const rows = this.controls.values.map(({ column, include, unit, multiply }) => el("tr", {},
      el("td", { class: "check" }, include, hidden(`Import “${column}”`, include)),
      el("th", { scope: "row" }, el("span", { class: "column-name", text: column })),
      el("td", {}, hidden(`Unit of “${column}”`, unit), unit),
      el("td", {}, hidden(`Multiply “${column}” by`, multiply), multiply)));
    this.controls.sampleSize = select(columnOptions(header, "No sample size"), sampleSize || "");
    const parts = [
      el("div", { class: "map-fields" }, labelled("Name each row by", this.controls.label,
        "Each number becomes a metric named “column, row label”, e.g. “Sessions, /checkout/”.")),
      el("table", { class: "mapping-table numbers" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Import" }),
          el("th", { scope: "col", text: "Number column" }), el("th", { scope: "col", text: "Unit" }),
          el("th", { scope: "col", text: "Multiply by (100 turns 0.45 into 45 %)" }))),
        el("tbody", {}, ...rows)),
      el("div", { class: "map-fields" }, labelled("Sample size of each row", this.controls.sampleSize)),
    ];
    if (comparison) parts.push(this.comparisonControls(comparison));
    return parts;
  }

  comparisonControls(comparison) {
    const on = el("input", { type: "checkbox", id: uid("compare") });
    on.checked = true;
    const column = select(columnOptions(this.preview.header, "—").slice(1), comparison.column);
    const ranges = () => {
      const index = this.preview.header.indexOf(column.value);
      const seen = new Set(this.preview.sample.map((row) => (row[index] || "").trim()).filter(Boolean));
      if (column.value === comparison.column) { seen.add(comparison.current); seen.add(comparison.baseline); }
      return [...seen].map((text) => [text, text]);
    };
    const current = select(ranges(), comparison.current);
    const baseline = select(ranges(), comparison.baseline);
    column.addEventListener("change", () => {
      for (const [node, pick] of [[current, 0], [baseline, 1]]) {
        node.replaceChildren(...ranges().map(([key, text]) => el("option", { value: key, text })));
        node.selectedIndex = Math.min(pick, node.options.length - 1);
      }
    });
    this.controls.comparison = { on, column, current, baseline };
    return el("fieldset", { class: "map-group" }, el("legend", { text: "Two date ranges compared" }),
      el("div", { class: "map-check" }, on, el("label", { for: on.id,
        text: "Compare: the earlier range becomes each metric’s baseline" })),
      el("div", { class: "map-fields" }, labelled("Column of the range", column),
        labelled("Current range", current), labelled("Baseline range", baseline)));
  }

  // --- what every shape has: the date order, values the same for every row ----------------

  sharedControls() {
    const parts = [];
    const order = this.preview.date_order;
    if (order?.ambiguous) {
      const name = uid("date-order");
      const choices = [["mdy", "Month first (10/03 is 3 October)"], ["dmy", "Day first (10/03 is 10 March)"],
        ["ymd", "Year first (2026/10/03)"]];
      this.controls.dateOrder = choices.map(([value, text]) => {
        const radio = el("input", { type: "radio", name, value, id: uid("order") });
        radio.checked = (this.proposal.date_order || order.order) === value;
        return el("div", { class: "map-check" }, radio, el("label", { for: radio.id, text }));
      });
      parts.push(el("fieldset", { class: "map-group date-order" },
        el("legend", { text: `How are the dates in “${order.column}” written?` }),
        el("p", { class: "help", text: `Guessed: ${order.why}.` }), ...this.controls.dateOrder));
    }
    const fixed = this.proposal.fixed || {};
    this.controls.fixed = {};
    const texts = { source: "Source, the same for every row", period: "Period, the same for every row" };
    const boxes = Object.entries(texts).filter(([name]) => this.preview.fields.includes(name))
      .map(([name, text]) => {
        const input = el("input", { type: "text", maxlength: "200", value: fixed[name] || "" });
        this.controls.fixed[name] = input;
        return labelled(text, input, name === "period" ? "e.g. October 2026" : "e.g. Typeform, GA4");
      });
    if (boxes.length) parts.push(el("div", { class: "map-fields" }, ...boxes));
    return parts;
  }

  syncDisabled() {
    for (const { include, scale, reason } of this.controls.questions || []) {
      scale.disabled = !include.checked;
      reason.disabled = !include.checked || !scale.value;
    }
    for (const { include, unit, multiply } of this.controls.values || []) {
      unit.disabled = multiply.disabled = !include.checked;
    }
    const pair = this.controls.comparison;
    if (pair) pair.column.disabled = pair.current.disabled = pair.baseline.disabled = !pair.on.checked;
  }

  // --- the mapping, from the proposal and the controls ----------------------------------------

  mapping() {
    const mapping = clone(this.proposal);
    const { shape, kind } = mapping;
    if (shape === "long") this.buildLong(mapping);
    else if (kind === "survey") this.buildSurvey(mapping);
    else this.buildMetric(mapping);
    this.buildShared(mapping);
    return mapping;
  }

  buildLong(mapping) {
    const chosen = {};
    for (const [column, control] of this.controls.columns) if (control.value) chosen[column] = control.value;
    if (!sameValue(chosen, mapping.columns || {})) mapping.columns = chosen;
  }

  buildSurvey(mapping) {
    const proposed = new Map((this.proposal.questions || []).map((entry) => [entry.column, entry]));
    const questions = this.controls.questions.filter(({ include }) => include.checked)
      .map(({ question, scale, reason }) => {
        const entry = clone(proposed.get(question.column)) || { column: question.column };
        entry.scale = scale.value || null;
        entry.reason = reason.value || null;
        if (!proposed.has(question.column) && question.question !== question.column) {
          entry.question = question.question;
        }
        return entry;
      });
    if (!sameValue(questions, mapping.questions)) mapping.questions = questions;
    let columns = mapping.columns || {};
    columns = remap(columns, "collected_on", this.controls.date.value);
    columns = remap(columns, "segment", this.controls.segment.value);
    if (!sameValue(columns, mapping.columns || {})) mapping.columns = columns;
  }

  buildMetric(mapping) {
    const label = JSON.parse(this.controls.label.value);
    if (!sameValue([label].flat().filter((x) => x != null), [mapping.label].flat().filter((x) => x != null))) {
      mapping.label = label;
    }
    const proposed = new Map((this.proposal.values || []).map((entry) => [entry.column, entry]));
    const values = this.controls.values.filter(({ include }) => include.checked)
      .map(({ column, unit, multiply }) => {
        const entry = clone(proposed.get(column)) || { column };
        entry.unit = unit.value.trim();
        const factor = Number(multiply.value);
        entry.multiply = Number.isFinite(factor) && multiply.value.trim() ? factor : 1;
        return entry;
      });
    if (!sameValue(values, mapping.values)) mapping.values = values;
    mapping.sample_size = this.controls.sampleSize.value || null;
    if (!mapping.sample_size && this.proposal.sample_size === undefined) delete mapping.sample_size;
    const pair = this.controls.comparison;
    if (pair) {
      const chosen = pair.on.checked
        ? { column: pair.column.value, current: pair.current.value, baseline: pair.baseline.value }
        : null;
      if (!sameValue(chosen, mapping.comparison)) mapping.comparison = chosen;
    }
  }

  buildShared(mapping) {
    const picked = (this.controls.dateOrder || []).map((row) => row.querySelector("input"))
      .find((radio) => radio.checked);
    if (picked) mapping.date_order = picked.value;
    const fixed = { ...(mapping.fixed || {}) };
    for (const [name, input] of Object.entries(this.controls.fixed)) {
      const value = input.value.trim();
      if (value) fixed[name] = value;
      else delete fixed[name];
    }
    if (!sameValue(fixed, mapping.fixed || {})) mapping.fixed = fixed;
  }
}
