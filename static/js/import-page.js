// The page for importing evidence (templates/evidence/import.html): a file dropped or picked goes
// to the preview of the imports API; the page shows what it holds and its proposed mapping as
// controls (import-mapping.js), checks every row (a dry run, nothing stored), then starts the
// background job and follows it until it is done or failed (docs/evidence.md has a section
// on this page). A refusal is shown where it belongs, and nothing else changes.

import { el } from "./dom.js";
import { newKey } from "./evidence-api.js";
import { MappingEditor } from "./import-mapping.js";
import { mappedPersonal, maskingNote, personalNote } from "./import-personal.js";
import { checkReport, facts, failures, fieldMessages, notes, sampleTable } from "./import-report.js";
import { follow, post } from "./import-run.js";
import { KIND_NAMES, SOURCE_NAMES, pieces, plural, rows } from "./import-words.js";

// Mind the header comments of these modules: collectstatic gives each module an import names
// its hashed name, but skips a match that starts inside a comment, so that word followed by a
// space, above the imports, hides them from it (tests/cjm/test_static_modules.py tells).
const $ = (selector) => document.querySelector(selector);

function showError(node, messages) {
  node.replaceChildren(...messages.map((text) => el("span", { class: "error-line", text })));
  node.hidden = !messages.length;
}

class ImportPage {
  constructor(root) {
    this.root = root;
    this.urls = { preview: root.dataset.previewUrl, import: root.dataset.importUrl,
      board: root.dataset.boardUrl, settings: `/api/maps/${root.dataset.mapId}/evidence/settings/` };
    this.stages = JSON.parse($("#import-stages").textContent);
    this.input = $("#import-file");
    this.zone = $("#drop-zone");
    this.file = null; // the file the page shows, once its preview came
    this.asked = 0; // the latest preview asked for: only its answer is shown
    this.editor = new MappingEditor($("#mapping-editor"), { onChange: () => this.changed() });
    // What is kept of a personal-data column mapped on purpose, kept in step with the mapping.
    this.personal = personalNote([], { id: "mapping-personal" });
    $("#mapping-editor").after(this.personal);
    this.fillStages();
    this.listen();
  }

  listen() {
    this.input.addEventListener("change", () => this.picked([...this.input.files]));
    this.zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      this.zone.classList.add("dragging");
    });
    this.zone.addEventListener("dragleave", () => this.zone.classList.remove("dragging"));
    this.zone.addEventListener("drop", (event) => {
      event.preventDefault();
      this.zone.classList.remove("dragging");
      this.picked([...event.dataTransfer.files]);
    });
    for (const node of ["#target-stage", "#target-column"]) {
      $(node).addEventListener("change", () => this.changed());
    }
    $("#target-stage-select").addEventListener("change", () => { $("#target-stage").checked = true; this.changed(); });
    $("#target-column-select").addEventListener("change", () => { $("#target-column").checked = true; this.changed(); });
    $("#check-button").addEventListener("click", () => this.check());
    $("#import-button").addEventListener("click", () => this.start());
  }

  fillStages() {
    const choose = $("#target-stage-select");
    choose.replaceChildren(el("option", { value: "", text: "Choose a stage…" }),
      ...this.stages.map((stage) => el("option", { value: String(stage.id), text: stage.title })));
  }

  // --- 1. the file, and what it holds -----------------------------------------------------

  async picked(files, kind = null) {
    if (this.running) return; // the file input is disabled meanwhile; a drop is ignored too
    const error = $("#import-file-error");
    const status = $("#import-file-status");
    if (files.length !== 1) {
      showError(error, [files.length ? "Drop one file at a time." : "No file came with that drop."]);
      return;
    }
    const [file] = files;
    const asked = ++this.asked;
    status.textContent = `Reading “${file.name}”…`;
    const form = new FormData();
    form.append("file", file);
    if (kind) form.append("kind", kind);
    let preview;
    try {
      preview = await post(this.urls.preview, form);
    } catch (failure) {
      if (asked !== this.asked) return;
      const words = failure.status === 400 ? fieldMessages(failure.fields).map(({ message }) => message)
        : [failure.message];
      showError(error, [`“${file.name}” cannot be imported: ${words.join(" ")}`]);
      status.textContent = this.file ? `Still showing “${this.file.name}”.` : "";
      return;
    }
    if (asked !== this.asked) return;
    showError(error, []);
    this.file = file;
    this.preview = preview;
    status.textContent = `“${file.name}”: ${SOURCE_NAMES[preview.source] || preview.source}, ${
      rows(preview.rows)}.`;
    this.showPreview(preview);
  }

  showPreview(preview) {
    $("#found-summary").textContent = preview.summary;
    $("#found-facts").replaceChildren(...facts(preview));
    $("#found-kind").replaceChildren(...this.kindChoice(preview));
    $("#found-notes").replaceChildren(...notes(preview), maskingNote(preview, {
      settingsUrl: this.urls.settings,
      // The first rows and what a mapped column keeps depend on it: preview the file again.
      onSwitched: () => this.picked([this.file], preview.source === "csv" ? preview.kind : null),
    }));
    $("#found-sample-table").replaceChildren(sampleTable(preview));
    $("#mapping-help").textContent = preview.shape === "long"
      ? "Each row becomes one piece of evidence: choose the field each column fills, or leave it out."
      : preview.kind === "survey"
        ? "Each ticked question gives one answer per respondent who answered it; a score's reason column gives the answer's text."
        : "Each ticked number column gives one metric per row.";
    this.editor.show(preview);
    this.fillTarget(preview);
    for (const id of ["#step-found", "#step-mapping", "#step-target", "#step-run"]) $(id).hidden = false;
    this.reset();
    this.changed();
    $("#step-found-title").focus();
  }

  // A table of one's own may be any kind: say which, and the preview proposes again.
  kindChoice(preview) {
    if (preview.source !== "csv") return [];
    const choose = el("select", { id: "found-kind-select" }, ...Object.entries(KIND_NAMES)
      .map(([kind, name]) => el("option", { value: kind, text: name })));
    choose.value = preview.kind;
    choose.addEventListener("change", () => this.picked([this.file], choose.value));
    return [el("div", { class: "map-field" },
      el("label", { for: choose.id, text: "The rows of this table are" }), choose)];
  }

  fillTarget(preview) {
    const columns = $("#target-column-select");
    columns.replaceChildren(el("option", { value: "", text: "Choose a column…" }),
      ...preview.header.map((column) => el("option", { value: column, text: column })));
    columns.value = preview.stage_column || "";
    $(preview.stage_column ? "#target-column" : "#target-stage").checked = true;
    showError($("#target-error"), []);
  }

  // --- 2. the choices ------------------------------------------------------------------

  changed() {
    this.mapping = this.editor.mapping();
    $("#mapping-json").textContent = JSON.stringify(this.mapping, null, 2);
    const personal = personalNote(mappedPersonal(this.preview, this.mapping), { id: "mapping-personal" });
    this.personal.replaceWith(personal);
    this.personal = personal;
    if (this.checked) {
      this.checked = null;
      $("#import-button").disabled = true;
      $("#check-body").prepend(el("p", { class: "import-warning",
        text: "You changed a choice since this check: check again before importing." }));
    }
  }

  target() {
    if ($("#target-column").checked) {
      const column = $("#target-column-select").value;
      return column ? { stage_column: column } : null;
    }
    const stage = $("#target-stage-select").value;
    return stage ? { stage } : null;
  }

  form(target, confirm) {
    const form = new FormData();
    form.append("file", this.file);
    form.append("mapping", JSON.stringify(this.mapping));
    for (const [name, value] of Object.entries(target)) form.append(name, value);
    form.append("confirm", confirm ? "true" : "false");
    return form;
  }

  // A 400 goes beside what it is about: the file, the stage, or the mapping.
  refused(failure) {
    const found = failure.status === 400 ? fieldMessages(failure.fields) : [{ name: "", message: failure.message }];
    const where = (names) => found.filter(({ name }) => names.includes(name)).map(({ message }) => message);
    showError($("#import-file-error"), where(["file"]));
    showError($("#target-error"), where(["stage", "stage_column"]));
    const rest = found.filter(({ name }) => !["file", "stage", "stage_column"].includes(name));
    showError($("#mapping-error"), rest.map(({ message }) => message));
    return found.map(({ message }) => message);
  }

  clearErrors() {
    for (const id of ["#import-file-error", "#target-error", "#mapping-error"]) showError($(id), []);
  }

  // --- 3. check, then import ----------------------------------------------------------

  async check() {
    const target = this.target();
    if (!target) {
      showError($("#target-error"), ["Choose the stage every row goes to, or the column that names each row’s stage."]);
      ($("#target-column").checked ? $("#target-column-select") : $("#target-stage-select")).focus();
      return;
    }
    this.checked = null;
    const asked = this.asked; // a file chosen meanwhile makes this check's answer moot
    this.busy(true, "Checking every row…");
    let report;
    try {
      report = await post(this.urls.import, this.form(target, false));
    } catch (failure) {
      if (asked !== this.asked) return;
      const messages = this.refused(failure);
      this.busy(false);
      this.showCheck([el("p", { class: "import-warning", text: `The check could not run: ${messages.join(" ")}` })]);
      return;
    }
    if (asked !== this.asked) return;
    this.clearErrors();
    this.busy(false);
    this.checked = { report, target };
    this.showCheck(checkReport(report));
    $("#import-button").disabled = !report.valid;
    $("#import-button-help").textContent = report.valid
      ? `Import stores the ${pieces(report.valid, report.kind)} that pass.`
      : "Nothing to import: change the choices above and check again.";
  }

  showCheck(parts) {
    $("#import-result").hidden = true;
    $("#check-body").replaceChildren(...parts);
    $("#check-result").hidden = false;
    $("#check-title").focus();
  }

  async start() {
    const { target } = this.checked;
    this.busy(true, "Starting the import…", { locked: true });
    this.showProgress({ status: "queued" }, {});
    let started;
    try {
      started = await post(this.urls.import, this.form(target, true), { key: newKey() });
    } catch (failure) {
      this.refused(failure);
      this.finished({ status: "failed", error: failure.message });
      return;
    }
    this.finished(await follow(started, (state, how) => this.showProgress(state, how)));
  }

  showProgress(state, { workerSilent = false, lost = false }) {
    $("#check-result").hidden = true;
    $("#import-progress").hidden = false;
    const bar = $("#import-progress-bar");
    const text = $("#import-progress-text");
    if (state.status === "checking" && state.rows_total) {
      bar.max = state.rows_total;
      bar.value = state.rows_checked;
      text.textContent = `Checking rows: ${plural(state.rows_checked, "row", "rows")} of ${state.rows_total.toLocaleString("en")}…`;
    } else {
      bar.removeAttribute("value"); // a moving bar: how long is not known
      text.textContent = { queued: "Waiting for the background worker to start…", checking: "Checking rows…",
        writing: "Writing…" }[state.status] || text.textContent;
    }
    if (lost) text.textContent = "Lost touch with the server; asking again…";
    const warning = $("#import-progress-warning");
    warning.hidden = !workerSilent;
    warning.textContent = workerSilent ? "The import is still waiting: the background worker does not seem "
      + "to run. `make run` starts one; in production run `manage.py db_worker`. This page keeps "
      + "waiting and goes on when it starts." : "";
  }

  finished(state) {
    this.busy(false, "", { locked: true });
    $("#import-progress").hidden = true;
    $("#import-button").disabled = true;
    $("#import-button-help").textContent = "Import is ready once a check finds something to import.";
    this.checked = null;
    const title = $("#result-title");
    const body = $("#result-body");
    if (state.status === "done") {
      const { report } = state;
      title.textContent = `Imported ${pieces(report.imported, report.kind)}`;
      body.replaceChildren(
        el("p", { class: "report-headline", "data-report": "imported",
          text: `${pieces(report.imported, report.kind)} went into the map, from ${rows(report.rows)}: `
            + "everyone on the board sees them now, and the board's history shows the import." }),
        ...(report.failed ? [failures(report)] : []),
        el("p", {}, el("a", { class: "button primary", href: this.urls.board, text: "Back to the board" }),
          " or choose another file above."));
    } else {
      title.textContent = "Nothing was imported";
      body.replaceChildren(el("p", { class: "import-warning", text: state.error || "The import failed." }),
        el("p", { text: "Nothing was imported: the map is as it was. Change what the message says and try again." }));
    }
    $("#import-result").hidden = false;
    title.focus();
  }

  // While the server works: the buttons wait, and an import also freezes the choices.
  busy(waiting, words = "", { locked = false } = {}) {
    $("#check-button").disabled = waiting;
    if (waiting) $("#import-button").disabled = true;
    $("#run-status").textContent = words;
    if (locked) {
      this.running = waiting;
      this.input.disabled = waiting;
      this.editor.setDisabled(waiting);
      for (const node of this.root.querySelectorAll("#step-target input, #step-target select, #found-kind-select")) {
        node.disabled = waiting;
      }
    }
  }

  reset() {
    this.checked = null;
    $("#import-button-help").textContent = "Import is ready once a check finds something to import.";
    for (const id of ["#check-result", "#import-progress", "#import-result"]) $(id).hidden = true;
    $("#import-button").disabled = true;
    $("#check-button").disabled = false;
    $("#run-status").textContent = "";
    showError($("#mapping-error"), []);
  }
}

new ImportPage($("#import-page"));
