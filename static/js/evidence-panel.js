// The evidence panel: a side panel listing the evidence of one stage (its cards' included) or
// one card, where editors add a piece of each kind, edit and delete. A stage's panel starts
// with its scores (NPS, CSAT, CES, per segment), and its survey answers are folded under their
// question rather than listed one by one. It talks to the REST API; the list and the scores
// follow the map's evidence events, whoever made the change. Everything a person typed is
// built into the page as text, never as HTML, and a link is only ever a link.

import { el, snippet } from "./dom.js";
import { api, newKey } from "./evidence-api.js";
import { LAYER_LABELS, clockTime, metricChange } from "./evidence-data.js";
import { formatNumber, withUnit } from "./format.js";
import { describe, stageTally } from "./evidence-marks.js";
import { evidenceMovesScores } from "./scores-data.js";
import { ScoresBlock } from "./scores-view.js";

export const KIND_LABELS = {
  metric: "Metric", survey: "Survey answer", quote: "Quote", recording: "Session recording",
  image: "Heatmap or screenshot",
};

const FIELDS = {
  metric: [
    { name: "name", label: "What is measured", required: true },
    { name: "value", label: "Value", type: "number", required: true },
    { name: "unit", label: "Unit (%, visits, EUR…)" },
    { name: "baseline", label: "Baseline (before)", type: "number" },
    { name: "target", label: "Target", type: "number" },
    { name: "period", label: "Period" },
    { name: "source", label: "Source (GA4, CUX, Hotjar…)" },
    { name: "sample_size", label: "Sample size", type: "number" },
  ],
  survey: [
    { name: "question", label: "Question", type: "textarea", required: true },
    { name: "answer", label: "Answer", type: "textarea" },
    { name: "score", label: "Score", type: "number" },
    { name: "score_scale", label: "Scale", type: "select",
      options: [["nps", "NPS (0-10)"], ["csat", "CSAT (1-5)"], ["ces", "CES (1-7)"]] },
    { name: "segment", label: "Segment" },
    { name: "source", label: "Source" },
  ],
  quote: [
    { name: "text", label: "Quote", type: "textarea", required: true },
    { name: "who", label: "Who said it" },
    { name: "source", label: "Source (interview, chat…)" },
  ],
  recording: [
    { name: "url", label: "Recording link (https://…)", type: "url", required: true },
    { name: "start_seconds", label: "Start at (1:23 or seconds)" },
  ],
  image: [
    { name: "image", label: "Picture (PNG, JPEG, WebP or GIF)", type: "file", required: true,
      newOnly: true }, // a picture cannot be replaced: delete the piece and add another
    { name: "caption", label: "Caption" },
  ],
};
const COMMON = [
  { name: "collected_on", label: "Collected on", type: "date" },
  { name: "note", label: "Note", type: "textarea" },
];
const fieldsOf = (kind, editing) => [...FIELDS[kind], ...COMMON]
  .filter((field) => !(editing && field.newOnly));

export class EvidencePanel {
  constructor({ root, store, view, canEdit, announce }) {
    Object.assign(this, { root, store, view, canEdit, announce });
    this.node = root.querySelector("#evidence-panel");
    this.list = this.node.querySelector("#evidence-list");
    this.subject = null; // {type: "stage" | "card", id}
    this.pieces = new Map();
    this.gone = new Set(); // deleted ids: a late answer must not bring one back
    this.buffer = null; // events that arrive while the list loads
    this.scores = new ScoresBlock(this.node.querySelector("#evidence-scores"));
    this.openQuestions = new Set(); // survey questions unfolded, kept across redraws
    this.node.addEventListener("click", (event) => this.onClick(event));
    // "toggle" does not bubble: listen on the way down.
    this.list.addEventListener("toggle", (event) => this.onToggle(event), true);
    this.node.addEventListener("keydown", (event) => this.onKey(event));
    this.node.querySelector("#evidence-add").hidden = !canEdit;
  }

  get isOpen() { return !this.node.hidden; }

  // --- opening and closing ----------------------------------------------------------------

  open(subject, opener) {
    const same = this.subject?.type === subject.type && this.subject?.id === subject.id;
    if (!same && !this.mayDiscardForm()) return;
    this.opener = opener;
    if (!same) {
      this.subject = subject;
      this.scores.hide(); // until this subject's own scores come
      this.closeForm();
    }
    this.node.hidden = false;
    this.root.classList.add("evidence-panel-open");
    this.renderHead();
    this.node.querySelector("#evidence-panel-title").focus();
    this.load();
    // Others that show a part of the subject in this panel (comments.js) follow it.
    this.node.dispatchEvent(new CustomEvent("subjectchange", { detail: this.subject }));
  }

  mayDiscardForm() {
    const form = this.node.querySelector(".evidence-form");
    return !form?.dataset.dirty || window.confirm("Discard the evidence you were typing?");
  }

  // The panel is hidden, not emptied: a half-typed piece is still there when it reopens.
  close() {
    this.node.hidden = true;
    this.root.classList.remove("evidence-panel-open");
    const back = this.opener?.isConnected ? this.opener : this.subjectElement();
    back?.focus();
  }

  subjectElement() {
    if (!this.subject) return null;
    if (this.subject.type === "card") return this.view.cardEl(this.subject.id);
    const selector = `.evidence-coverage[data-evidence-stage="${this.subject.id}"]`;
    return this.view.grid.querySelector(selector);
  }

  subjectItem() {
    const { type, id } = this.subject;
    return type === "stage" ? this.store.stage(id) : this.store.cards.get(id);
  }

  renderHead() {
    const item = this.subjectItem();
    if (!item) return;
    const { type, id } = this.subject;
    const name = type === "stage" ? `stage “${item.title}”`
      : `card “${snippet(item.text, 40)}”`;
    this.node.querySelector("#evidence-panel-title").textContent = `Evidence for ${name}`;
    const tally = type === "stage" ? stageTally(this.store, id) : this.store.evidence.card(id);
    const summary = this.node.querySelector("#evidence-summary");
    summary.classList.toggle("assumption", !tally.total);
    summary.textContent = tally.total
      ? `${capital(describe(tally))}.${type === "stage" ? " Its cards' evidence is included." : ""}`
      : "No evidence yet: this is an assumption.";
  }

  // --- the list ---------------------------------------------------------------------------

  async load() {
    const { type, id } = this.subject;
    const asked = this.subject;
    this.buffer = [];
    this.status("Loading…");
    this.loadScores();
    try {
      const pieces = await api("GET", `/api/maps/${this.store.map.id}/evidence/?${type}=${id}`);
      if (asked !== this.subject) return;
      this.pieces = new Map(pieces.filter((p) => !this.gone.has(p.id)).map((p) => [p.id, p]));
      const missed = this.buffer;
      this.buffer = null;
      for (const event of missed) this.applyEvent(event);
      this.renderList();
    } catch (error) {
      this.buffer = null;
      this.status(`Could not load the evidence: ${error.message}`);
    }
  }

  status(text) {
    this.node.querySelector("#evidence-status").textContent = text;
  }

  belongs(piece) {
    const { type, id } = this.subject;
    return type === "stage" ? piece.stage === id : piece.card === id;
  }

  upsert(piece) {
    if (this.gone.has(piece.id)) return;
    if (this.belongs(piece)) this.pieces.set(piece.id, piece);
    else this.pieces.delete(piece.id);
  }

  renderList() {
    const pieces = [...this.pieces.values()].sort((a, b) => a.id - b.id);
    const editing = this.list.querySelector(".evidence-form")?.closest("li[data-id]");
    const focused = editing?.contains(document.activeElement) ? document.activeElement : null;
    const keep = (piece) => editing?.dataset.id === String(piece.id);
    const itemOf = (piece) => (keep(piece) ? editing : this.item(piece));
    this.list.replaceChildren(...this.entries(pieces, itemOf));
    focused?.focus();
    const stale = pieces.filter((p) => this.store.evidence.isStale(p)).length;
    const count = `${pieces.length} piece${pieces.length === 1 ? "" : "s"}`;
    const staleText = stale ? `, ${stale} stale` : "";
    this.status(pieces.length ? `${count}${staleText}.` : "Nothing here yet.");
    this.renderHead();
  }

  // One line per piece, except survey answers: those to one question are folded together
  // where its first answer would be, so 400 imported answers are one line, not 400.
  entries(pieces, itemOf) {
    const answers = new Map();
    for (const piece of pieces.filter((p) => p.kind === "survey")) {
      if (!answers.has(piece.question)) answers.set(piece.question, []);
      answers.get(piece.question).push(piece);
    }
    return pieces.map((piece) => {
      if (piece.kind !== "survey") return itemOf(piece);
      const group = answers.get(piece.question);
      return group[0] === piece ? this.surveyGroup(group, itemOf) : null;
    }).filter(Boolean);
  }

  surveyGroup(answers, itemOf) {
    const question = answers[0].question;
    const count = `${formatNumber(answers.length)} answer${answers.length === 1 ? "" : "s"}`;
    const details = el("details", { class: "survey-group", open: this.openQuestions.has(question) },
      el("summary", { text: `${count} to “${snippet(question, 80)}”` }),
      el("ol", { class: "evidence-list survey-answers" }, ...answers.map(itemOf)));
    details.dataset.question = question;
    return el("li", { class: "evidence-group-item" }, details);
  }

  onToggle(event) {
    const details = event.target;
    if (!details.matches?.("details.survey-group")) return;
    if (details.open) this.openQuestions.add(details.dataset.question);
    else this.openQuestions.delete(details.dataset.question);
  }

  item(piece) {
    const stale = this.store.evidence.isStale(piece);
    const days = this.store.evidence.staleAfterDays;
    const li = el("li", { class: `evidence-item kind-${piece.kind}`, "data-id": piece.id },
      el("p", { class: "evidence-kind" },
        el("span", { text: KIND_LABELS[piece.kind] }),
        el("span", { class: "evidence-layer", text: LAYER_LABELS[piece.layer] }),
        stale ? el("span", { class: "stale-flag", text: `Stale: over ${days} days old` }) : null),
      ...BODIES[piece.kind](piece),
      this.meta(piece));
    li.classList.toggle("is-stale", stale);
    if (this.canEdit) li.append(this.itemTools(piece));
    return li;
  }

  meta(piece) {
    const onCard = piece.card && this.subject.type === "stage";
    const card = onCard ? this.store.cards.get(piece.card) : null;
    const parts = [
      card ? `On card “${snippet(card.text, 30)}”` : null,
      piece.collected_on ? `Collected ${piece.collected_on}` : "No collection date",
      piece.added_by_name ? `added by ${piece.added_by_name}` : null,
    ];
    const note = piece.kind !== "recording" && piece.note; // a recording shows its note above
    return el("p", { class: "evidence-meta" },
      note ? el("span", { class: "evidence-note", text: note }) : null,
      el("span", { text: parts.filter(Boolean).join(" · ") }));
  }

  itemTools(piece) {
    const what = `${KIND_LABELS[piece.kind].toLowerCase()} ${headline(piece)}`;
    return el("div", { class: "evidence-tools" },
      el("button", { type: "button", class: "button small", "data-evidence-edit": piece.id,
        "aria-label": `Edit ${what}`, text: "Edit" }),
      el("button", { type: "button", class: "button small danger", "data-evidence-delete": piece.id,
        "aria-label": `Delete ${what}`, text: "Delete" }));
  }

  // --- live changes -------------------------------------------------------------------------

  applyEvent(event) {
    if (!this.isOpen || !this.subject) return;
    if (this.buffer) return this.buffer.push(event);
    if (this.subjectGone(event)) return this.subjectRemoved();
    const change = LIVE[event.event]?.(this, event.payload);
    if (change === "reload") return this.load();
    if (change) this.renderList();
    else this.renderHead();
    if (movesScores(event)) this.loadScores();
  }

  // A stage's scores; a card's panel has none of its own.
  loadScores() {
    const { type, id } = this.subject;
    if (type === "stage") this.scores.load(this.store.map.id, id);
    else this.scores.hide();
  }

  subjectGone({ event, payload }) {
    const { type, id } = this.subject;
    const cardWent = type === "card" && (payload.cards || []).some((card) => card.id === id);
    if (event === "stage.deleted") return type === "stage" ? payload.stage.id === id : cardWent;
    if (event === "lane.deleted") return cardWent;
    return event === "card.deleted" && type === "card" && payload.card.id === id;
  }

  subjectRemoved() {
    const what = this.subject.type;
    this.subject = null;
    this.opener = null;
    this.close();
    this.announce(`The ${what} was deleted; its evidence went with it.`);
  }

  // --- forms --------------------------------------------------------------------------------

  onClick(event) {
    const target = event.target.closest("button");
    if (!target) return;
    if (target.matches(".evidence-close")) return this.close();
    if (target.dataset.evidenceKind) return this.showForm(target.dataset.evidenceKind, null);
    const { evidenceEdit, evidenceDelete } = target.dataset;
    if (evidenceEdit) return this.showForm(null, this.pieces.get(Number(evidenceEdit)));
    if (evidenceDelete) return this.remove(this.pieces.get(Number(evidenceDelete)));
    if (target.matches(".evidence-cancel")) return this.cancelForm(target.closest("form"));
  }

  onKey(event) {
    if (event.key !== "Escape") return;
    event.preventDefault();
    event.stopPropagation();
    this.close();
  }

  showForm(kind, piece) {
    if (!this.mayDiscardForm()) return;
    this.closeForm();
    if (piece?.kind === "survey") this.openQuestions.add(piece.question);
    const form = buildForm(piece ? piece.kind : kind, piece);
    form.addEventListener("submit", (event) => { event.preventDefault(); this.save(form, piece); });
    form.addEventListener("input", () => { form.dataset.dirty = "true"; });
    if (piece) {
      const li = this.list.querySelector(`li[data-id="${piece.id}"]`);
      li.replaceChildren(form);
    } else {
      this.node.querySelector("#evidence-form-holder").append(form);
    }
    form.querySelector("input, textarea, select").focus();
  }

  cancelForm(form) {
    const li = form.closest("li");
    form.remove();
    if (li) {
      const piece = this.pieces.get(Number(li.dataset.id));
      if (piece) li.replaceWith(this.item(piece));
      this.list.querySelector(`li[data-id="${li.dataset.id}"] [data-evidence-edit]`)?.focus();
    } else {
      this.node.querySelector("#evidence-add button")?.focus();
    }
  }

  closeForm() {
    this.node.querySelector("#evidence-form-holder").replaceChildren();
    if (this.list.querySelector(".evidence-form")) this.renderList();
  }

  async save(form, piece) {
    const kind = form.dataset.kind;
    const url = `/api/maps/${this.store.map.id}/evidence/${piece ? `${piece.id}/` : ""}`;
    const body = piece ? formValues(form, kind, true) : this.newPiece(form, kind);
    busy(form, true);
    try {
      const saved = await api(piece ? "PATCH" : "POST", url, body, { key: form.dataset.key });
      form.remove();
      if (saved.kind === "survey") this.openQuestions.add(saved.question);
      this.upsert(saved);
      this.renderList();
      this.announce(piece ? "Evidence saved." : `${KIND_LABELS[kind]} added.`);
      this.list.querySelector(`li[data-id="${saved.id}"] button`)?.focus();
    } catch (error) {
      showErrors(form, error);
    } finally {
      busy(form, false);
    }
  }

  newPiece(form, kind) {
    const place = { [this.subject.type]: this.subject.id };
    if (kind !== "image") return { kind, ...place, ...formValues(form, kind, false) };
    const data = new FormData();
    data.append("kind", kind);
    data.append(this.subject.type, this.subject.id);
    for (const [name, value] of Object.entries(formValues(form, kind, false))) {
      if (value != null) data.append(name, value);
    }
    return data;
  }

  async remove(piece) {
    if (!piece) return;
    const what = KIND_LABELS[piece.kind].toLowerCase();
    if (!window.confirm(`Delete this ${what}? ${headline(piece)}`)) return;
    try {
      await api("DELETE", `/api/maps/${this.store.map.id}/evidence/${piece.id}/`);
      this.gone.add(piece.id);
      this.pieces.delete(piece.id);
      this.renderList();
      this.announce("Evidence deleted.");
      this.node.querySelector("#evidence-panel-title").focus();
    } catch (error) {
      this.status(`Not deleted: ${error.message}`);
    }
  }
}

// Events after which a stage's scores may read differently: an answer came, went or changed,
// cards went with theirs, or an undo brought some back.
const movesScores = ({ event, payload }) => evidenceMovesScores(event, payload)
  || event === "card.deleted" || event === "lane.deleted" || Boolean(payload.evidence?.length);

// Event handlers for the open list; "reload" asks the server for the list again.
const LIVE = {
  "evidence.created": (panel, { evidence }) => (panel.upsert(evidence), true),
  "evidence.updated": (panel, { evidence }) => (panel.upsert(evidence), true),
  "evidence.deleted": (panel, { evidence }) => {
    panel.gone.add(evidence.id);
    return panel.pieces.delete(evidence.id) || true;
  },
  "evidence.imported": () => "reload",
  "evidence.stale_age_set": () => true,
  "evidence.pruned": () => "reload",
  // A card that changes stage takes its evidence along: the stage's list is read again.
  "card.moved": (panel, { from, to }) => (
    panel.subject.type === "stage" && from.stage !== to.stage ? "reload" : false),
  "card.deleted": (panel, { card }) => {
    for (const piece of panel.pieces.values()) {
      if (piece.card === card.id) panel.pieces.delete(piece.id);
    }
    return true;
  },
  "card.updated": () => true,
};

// --- what each kind shows -------------------------------------------------------------------

const BODIES = {
  metric: (m) => [
    el("p", { class: "metric" }, el("strong", { text: m.name }), " ",
      el("span", { class: "metric-value", text: withUnit(m.value, m.unit) })),
    m.baseline != null ? el("p", { class: "metric-change", text: metricChange(m) }) : null,
    detailLine([
      m.target != null && `Target ${withUnit(m.target, m.unit)}`, m.period,
      m.source && `Source: ${m.source}`,
      m.sample_size != null && `n = ${formatNumber(m.sample_size)}`]),
  ],
  survey: (s) => [ // its question heads its group
    s.answer ? el("p", { class: "survey-answer", text: s.answer }) : null,
    detailLine([
      s.score != null && scoreText(s), s.segment && `Segment: ${s.segment}`,
      s.source && `Source: ${s.source}`]),
  ],
  quote: (q) => [
    el("blockquote", { class: "evidence-quote", text: q.text }),
    detailLine([q.who && `— ${q.who}`, q.source]),
  ],
  recording: (r) => [
    recordingLink(r), r.note ? el("p", { class: "evidence-note", text: r.note }) : null],
  image: (i) => [
    el("a", { class: "evidence-image", href: i.image_url, target: "_blank",
      rel: "noopener noreferrer" },
      el("img", { src: i.thumbnail_url, alt: i.caption || KIND_LABELS.image, loading: "lazy" })),
    i.caption ? el("p", { class: "evidence-caption", text: i.caption }) : null,
  ],
};

const PROVIDERS = {
  hotjar: "Hotjar", cux: "CUX", fullstory: "FullStory", clarity: "Clarity", smartlook: "Smartlook",
  mouseflow: "Mouseflow", loom: "Loom", youtube: "YouTube", vimeo: "Vimeo",
};

// A new tab at the start time; only http(s) links become links at all.
function recordingLink(r) {
  const href = r.start_url || r.url;
  const at = r.start_seconds != null ? ` at ${clockTime(r.start_seconds)}` : "";
  const text = `Open the ${PROVIDERS[r.provider] || ""} recording${at}`.replace("  ", " ");
  if (!/^https?:\/\//i.test(href)) {
    return el("p", { class: "evidence-link", text: `${text}: ${href}` });
  }
  return el("p", { class: "evidence-link" },
    el("a", { href, target: "_blank", rel: "noopener noreferrer", text }),
    el("span", { class: "link-host", text: ` (${new URL(href).host}, opens in a new tab)` }));
}

const scoreText = (s) => ({ csat: `CSAT ${s.score}/5`, ces: `CES ${s.score}/7` }[s.score_scale]
  || `NPS score ${s.score}/10`);
const HEADLINE = { metric: "name", quote: "text", recording: "url", image: "caption" };

function detailLine(parts) {
  const text = parts.filter(Boolean).join(" · ");
  return text ? el("p", { class: "evidence-detail", text }) : null;
}

function headline(piece) {
  if (piece.kind === "survey") return surveyHeadline(piece);
  const text = piece[HEADLINE[piece.kind]];
  return text ? `“${snippet(text, 40)}”` : "";
}

// The answers to one question sit together: each is named by what it says, and its score.
const surveyHeadline = (s) => [s.answer && `“${snippet(s.answer, 40)}”`,
  s.score != null && scoreText(s)].filter(Boolean).join(", ");

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

// --- the form -------------------------------------------------------------------------------

function buildForm(kind, piece) {
  const form = el("form", { class: "evidence-form", "data-kind": kind, novalidate: true },
    el("h3", { text: `${piece ? "Edit" : "Add a"} ${KIND_LABELS[kind].toLowerCase()}` }));
  form.dataset.key = newKey(); // a resent form (after a timeout) is not added twice
  for (const field of fieldsOf(kind, Boolean(piece))) {
    form.append(fieldRow(kind, field, piece?.[field.name]));
  }
  form.append(el("p", { class: "form-error", role: "alert", hidden: true }),
    el("div", { class: "evidence-form-actions" },
      el("button", { type: "submit", class: "button small primary", text: piece ? "Save" : "Add" }),
      el("button", { type: "button", class: "button small evidence-cancel", text: "Cancel" })));
  return form;
}

function fieldRow(kind, field, value) {
  const id = `ev-${kind}-${field.name}`;
  const control = makeControl(field);
  Object.assign(control, { id, name: field.name });
  if (field.required) control.setAttribute("aria-required", "true");
  if (field.type === "file") control.accept = "image/png,image/jpeg,image/webp,image/gif";
  if (value != null && field.type !== "file") {
    control.value = field.name === "start_seconds" ? clockTime(value) : value;
  }
  control.setAttribute("aria-describedby", `${id}-error`);
  return el("div", { class: `field field-${field.name}` },
    el("label", { for: id, text: `${field.label}${field.required ? " (required)" : ""}` }), control,
    el("p", { class: "field-error", id: `${id}-error`, hidden: true }));
}

function makeControl(field) {
  if (field.type === "textarea") return el("textarea", { rows: 3 });
  if (field.type === "select") {
    return el("select", {}, ...field.options.map(([value, text]) => el("option", { value, text })));
  }
  return el("input", { type: field.type || "text", step: field.type === "number" ? "any" : null });
}

// The typed values, as the API takes them: numbers as JSON numbers (the API refuses "5" for
// 5, as its schema says), blank numbers and dates null.
function formValues(form, kind, editing) {
  const values = {};
  for (const field of fieldsOf(kind, editing)) {
    const control = form.elements[field.name];
    if (field.type === "file") values[field.name] = control.files[0] || null;
    else if (field.type === "number") values[field.name] = numberOrText(control.value.trim());
    else if (field.type === "date") values[field.name] = control.value.trim() || null;
    else values[field.name] = control.value;
  }
  return values;
}

// What is not a finite number is sent as typed, for the API to say what is wrong with it.
function numberOrText(text) {
  if (text === "") return null;
  return Number.isFinite(Number(text)) ? Number(text) : text;
}

// Every field the server refused, each message next to its field, all at once; the alert
// above the buttons names them, so that a screen reader hears the whole list in one go.
function showErrors(form, error) {
  const general = [];
  const named = [];
  for (const [name, messages] of Object.entries(error.fields)) {
    const box = form.querySelector(`#ev-${form.dataset.kind}-${name}-error`);
    const text = [].concat(messages).join(" ");
    if (box) {
      box.textContent = text;
      box.hidden = false;
      form.elements[name].setAttribute("aria-invalid", "true");
      named.push(fieldLabel(form, name));
    } else {
      general.push(`${name}: ${text}`);
    }
  }
  const alert = form.querySelector(".form-error");
  const fields = named.length === 1 ? "1 field needs" : `${named.length} fields need`;
  const summary = named.length ? `${fields} a change: ${named.join(", ")}.` : "";
  alert.textContent = `Not saved. ${[summary, ...general].join(" ").trim() || error.message}`;
  alert.hidden = false;
  (form.querySelector("[aria-invalid=true]") || alert).focus?.();
}

function fieldLabel(form, name) {
  const label = form.querySelector(`label[for="ev-${form.dataset.kind}-${name}"]`);
  return (label?.textContent || name).replace(/ \(required\)$/, "");
}

function busy(form, on) {
  form.querySelector("[type=submit]").disabled = on;
  if (on) {
    for (const box of form.querySelectorAll(".field-error")) box.hidden = true;
    for (const bad of form.querySelectorAll("[aria-invalid]")) bad.removeAttribute("aria-invalid");
    form.querySelector(".form-error").hidden = true;
  }
}
