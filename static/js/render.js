// Drawing the board from the store. The whole grid is built once, and again only when stages
// or lanes change; an event about cards redraws just the cells and cards it touched. Card
// elements are kept and moved, never rebuilt, so an editor open in a card survives redraws.
// This is the one home of the board's markup: the page (templates/workshops/board.html) holds
// only the frame and the board's JSON, and everything in the grid is drawn here.

import { cellKey } from "./store.js";
import { drawCurve } from "./curve.js";
import { cardMark, stageCoverage, stageScores, stageTally } from "./evidence-marks.js";
import { layersCovered } from "./evidence-data.js";
import { signed } from "./format.js";
import { el, snippet } from "./dom.js";

const EMOTIONS = { "-2": "very negative", "-1": "negative", 0: "neutral", 1: "positive", 2: "very positive" };
const SEVERITIES = { 1: "low", 2: "medium", 3: "high" };

export class BoardView {
  constructor(root, store, { canEdit }) {
    this.root = root;
    this.grid = root.querySelector("#board");
    this.store = store;
    this.canEdit = canEdit;
    this.cards = new Map(); // card id -> element, kept across redraws
    this.editors = new Map(); // card id -> name of the other person editing it
    this.decorators = []; // (node, card, lane) => void, run after each card is filled (voting.js)
  }

  // --- the grid --------------------------------------------------------------------------

  renderAll() {
    // A stage or lane title being typed would vanish with its header: redraw once it is done.
    if (this.grid.querySelector(".stage-head.editing, .lane-head.editing")) {
      this.deferred = true;
      return;
    }
    this.deferred = false;
    const { stages, lanes } = this.store;
    const focused = this.grid.contains(document.activeElement) ? document.activeElement : null;
    const unsent = this.unsentCards();
    this.grid.style.setProperty("--stage-count", stages.length);
    const rows = [this.headRow(stages)];
    for (const lane of lanes) rows.push(this.laneRow(lane, stages));
    this.grid.replaceChildren(...rows);
    // Moving them blurs an open editor, which saves it: typing is ended, never lost.
    for (const [node, stage, lane] of unsent) this.cellEl(stage, lane)?.querySelector(".cell-cards").append(node);
    for (const key of this.store.cells.keys()) this.renderCell(key);
    // After a snapshot any card may have changed: refill them all (this is rare, events are not).
    for (const id of [...this.cards.keys()]) {
      if (this.store.cards.has(id)) this.renderCard(id);
      else this.removeCard(id);
    }
    this.renderCurve();
    this.renderMap();
    this.renderStart();
    this.refocus(focused);
  }

  // A map without a stage or without a lane has no cell to put a card in: say how to start.
  renderStart() {
    const start = this.root.querySelector("#board-start");
    if (!start) return;
    const { stages, lanes } = this.store;
    start.hidden = stages.length > 0 && lanes.length > 0;
    const missing = !stages.length && !lanes.length ? null : !stages.length ? "stage" : "lane";
    start.querySelector("h2").textContent = missing ? `Add a ${missing} to start` : "This map is blank";
    for (const button of start.querySelectorAll("[data-start]")) {
      button.hidden = missing !== null && button.dataset.start !== missing;
    }
  }

  // Drafts and cards not yet confirmed, with their cell, to carry over into the new grid.
  unsentCards() {
    return [...this.grid.querySelectorAll(".card.draft, .card.pending-create")].map((node) => {
      const cell = node.closest(".cell");
      return [node, cell.dataset.stage, cell.dataset.lane];
    });
  }

  refocus(focused) {
    if (!focused) return;
    if (focused.isConnected) return focused.focus();
    const { stage, lane } = focused.dataset;
    if (focused.classList.contains("cell")) this.cellEl(stage, lane)?.focus();
  }

  headRow(stages) {
    const row = el("div", { class: "board-row head-row", role: "row" },
      el("div", { class: "corner", role: "columnheader", style: "grid-column: 1", text: "Lanes / stages" }));
    stages.forEach((stage, i) => row.append(this.stageHead(stage, i)));
    return row;
  }

  stageHead(stage, index) {
    const last = index === this.store.stages.length - 1;
    return el("div", { class: "stage-head", role: "columnheader", tabindex: "-1", "data-stage": stage.id,
      style: `grid-column: ${index + 2}` },
    el("span", { class: "stage-number", text: index + 1 }),
    el("span", { class: "axis-title", text: stage.title }),
    stageCoverage(this.store, stage),
    stageScores(this.store, stage),
    this.canEdit ? axisTools("stage", stage, [
      ["rename", "✎", `Rename stage ${stage.title}`],
      index > 0 && ["left", "◀", `Move stage ${stage.title} left`],
      !last && ["right", "▶", `Move stage ${stage.title} right`],
      ["delete", "✕", `Delete stage ${stage.title}`],
    ]) : null);
  }

  laneRow(lane, stages) {
    const index = this.store.lanes.indexOf(lane);
    const last = index === this.store.lanes.length - 1;
    const head = el("div", { class: "lane-head", role: "rowheader", tabindex: "-1", style: "grid-column: 1" },
      el("span", { class: "axis-title", text: lane.title }),
      sameWords(lane.title, kindLabel(lane.kind)) ? null : el("span", { class: "lane-kind", text: kindLabel(lane.kind) }),
      lane.kind === "emotions" ? el("span", { class: "curve-scale", text: "Curve: mean feeling per stage, from −2 to +2" }) : null,
      lane.kind === "emotions" ? el("span", { class: "visually-hidden curve-summary" }) : null,
      this.canEdit ? axisTools("lane", lane, [
        ["rename", "✎", `Rename lane ${lane.title}`],
        index > 0 && ["up", "▲", `Move lane ${lane.title} up`],
        !last && ["down", "▼", `Move lane ${lane.title} down`],
        ["delete", "✕", `Delete lane ${lane.title}`],
      ]) : null);
    const row = el("div", { class: `board-row lane-row kind-${lane.kind}`, role: "row", "data-lane": lane.id }, head);
    stages.forEach((stage, i) => row.append(this.cell(stage, lane, i)));
    if (lane.kind === "emotions") {
      row.append(el("div", { class: "curve-holder", "aria-hidden": "true",
        style: `grid-column: 2 / span ${Math.max(stages.length, 1)}` }));
    }
    return row;
  }

  cell(stage, lane, index) {
    // Named by its text, not an aria-label: a label would hide the cards' own words (and the
    // grid's headers say where it is). `data-name` is for the sentences that mention it.
    const name = `${stage.title} / ${lane.title}`;
    const cell = el("div", { class: "cell", role: "gridcell", tabindex: "-1", "data-stage": stage.id,
      "data-lane": lane.id, "data-name": name, style: `grid-column: ${index + 2}`,
      "data-evidence-layers": layersCovered(stageTally(this.store, stage.id)) },
    el("span", { class: "visually-hidden cell-name", text: name }),
    el("div", { class: "cell-cards" }));
    if (this.canEdit) {
      cell.append(el("button", { type: "button", class: "add-card", "data-action": "add-card",
        "aria-label": `Add card to ${name}`, title: `Add card to ${name}`, text: "+" }));
    }
    return cell;
  }

  cellEl(stage, lane) {
    return this.grid.querySelector(`.cell[data-stage="${stage}"][data-lane="${lane}"]`);
  }

  // --- cells and cards -------------------------------------------------------------------

  renderCell(key) {
    const [stage, lane] = key.split(":").map(Number);
    const cell = this.cellEl(stage, lane);
    if (!cell) return;
    const list = cell.querySelector(".cell-cards");
    const ids = this.store.cells.get(key) || [];
    const wanted = ids.map((id) => this.cardEl(id, true));
    // Drafts and cards not yet confirmed by the server stay at the end of their cell.
    const pending = [...list.querySelectorAll(".card.pending-create, .card.draft")];
    arrange(list, [...wanted, ...pending]);
    cell.classList.toggle("empty", wanted.length + pending.length === 0);
  }

  cardEl(id, create = false) {
    if (!this.cards.has(id) && create) {
      const node = el("article", { class: "card", "data-card": id, tabindex: "0" });
      this.cards.set(id, node);
      this.fillCard(node, this.store.cards.get(id));
    }
    return this.cards.get(id);
  }

  renderCard(id) {
    const node = this.cards.get(id);
    const card = this.store.cards.get(id);
    if (node && card) this.fillCard(node, card);
  }

  fillCard(node, card) {
    const lane = this.store.lane(card.lane);
    node.classList.remove("pending-delete", "not-saved");
    node.hidden = false;
    node.draggable = this.canEdit && !node.dataset.editing;
    node.setAttribute("aria-roledescription", "card");
    // An open editor stays put: taking it out of the page would blur it, and blur saves.
    const editor = node.dataset.editing ? node.querySelector(".text-editor") : null;
    for (const child of [...node.children]) if (child !== editor) child.remove();
    if (!editor) node.append(el("p", { class: "card-text", text: card.text || "" }));
    node.append(this.cardMeta(card, lane));
    if (this.canEdit) node.append(cardTools(card));
    const editing = this.editors.get(card.id);
    node.append(el("p", { class: "card-editing", hidden: !editing, text: editing ? `${editing} is editing…` : "" }));
    node.classList.toggle("edited-by-other", Boolean(editing));
    for (const decorate of this.decorators) decorate(node, card, lane);
  }

  cardMeta(card, lane) {
    const meta = el("div", { class: "card-meta" });
    const label = snippet(card.text, 30);
    // append(null) would write the word "null": controls a viewer has nothing to see in are left out.
    if (lane?.kind === "emotions") meta.append(...[this.scoreControl(card, label)].filter(Boolean));
    if (lane?.kind === "pain_points") meta.append(...[this.severityControl(card, label)].filter(Boolean));
    if (card.channel) meta.append(el("span", { class: "badge channel", text: card.channel }));
    meta.append(cardMark(this.store, card));
    return meta;
  }

  scoreControl(card, label) {
    const score = card.emotion_score;
    if (!this.canEdit) {
      if (score == null) return null;
      return el("span", { class: "badge score", "data-score": score, text: `Feeling ${signed(score)}` });
    }
    const select = el("select", { class: "badge score", "data-field": "emotion_score", "data-score": score ?? "",
      "aria-label": `Emotion score of “${label}”` }, el("option", { value: "", text: "Feeling: none" }));
    for (const n of [2, 1, 0, -1, -2]) {
      select.append(el("option", { value: n, selected: n === score, text: `Feeling ${signed(n)} (${EMOTIONS[n]})` }));
    }
    return select;
  }

  severityControl(card, label) {
    const severity = card.severity;
    if (!this.canEdit) {
      if (!severity) return null;
      return el("span", { class: "badge severity", "data-severity": severity, text: `Severity ${severity}/3` });
    }
    const select = el("select", { class: "badge severity", "data-field": "severity", "data-severity": severity ?? "",
      "aria-label": `Severity of “${label}”` }, el("option", { value: "", text: "Severity: none" }));
    for (const n of [1, 2, 3]) {
      select.append(el("option", { value: n, selected: n === severity, text: `Severity ${n}/3 (${SEVERITIES[n]})` }));
    }
    return select;
  }

  removeCard(id) {
    this.cards.get(id)?.remove();
    this.cards.delete(id);
  }

  // An optimistic move, shown at once; the event (or a refusal) redraws from the store.
  placeCard(id, stage, lane, index) {
    const node = this.cards.get(id);
    const list = this.cellEl(stage, lane)?.querySelector(".cell-cards");
    if (!node || !list) return;
    const others = [...list.children].filter((c) => c !== node);
    list.insertBefore(node, others[index] || null);
    for (const cell of this.grid.querySelectorAll(".cell")) {
      cell.classList.toggle("empty", !cell.querySelector(".card"));
    }
  }

  // --- header, presence, curve --------------------------------------------------------------

  renderMap() {
    const title = this.root.querySelector("#map-title");
    if (!title.closest(".editing")) title.textContent = this.store.map.title;
    this.root.querySelector("#revision").textContent = this.store.revision;
    document.title = `${this.store.map.title} · Journey maps`;
  }

  renderCurve() {
    for (const holder of this.grid.querySelectorAll(".curve-holder")) {
      const row = holder.closest(".lane-row");
      const curve = drawCurve(this.store, Number(row.dataset.lane));
      holder.replaceChildren(curve.svg);
      // The drawing is hidden from screen readers; its lane header reads the scores instead.
      row.querySelector(".curve-summary").textContent = curve.summary;
    }
  }

  renderPresence(users, youId) {
    const list = this.root.querySelector("#presence");
    list.replaceChildren(...users.map((user) => el("li", {
      class: `avatar${user.id === youId ? " you" : ""}`, title: user.name,
      "aria-label": `${user.name}${user.id === youId ? " (you)" : ""}${user.editing ? ", editing a card" : ""}`,
      style: `--hue: ${(user.id * 67) % 360}`,
    }, el("span", { "aria-hidden": "true", text: user.initials || "?" }))));
    const before = new Set(this.editors.keys());
    this.editors = new Map(users.filter((u) => u.editing && u.id !== youId).map((u) => [u.editing, u.name]));
    for (const id of new Set([...before, ...this.editors.keys()])) this.renderCard(id);
  }
}

function axisTools(kind, item, buttons) {
  return el("span", { class: "axis-tools" }, ...buttons.filter(Boolean).map(([action, icon, label]) =>
    el("button", { type: "button", class: "icon-btn", "data-action": `${kind}-${action}`,
      "data-id": item.id, "aria-label": label, title: label, text: icon })));
}

function cardTools(card) {
  const label = snippet(card.text, 30);
  return el("div", { class: "card-tools" },
    el("button", { type: "button", class: "icon-btn", "data-action": "card-edit", "aria-label": `Edit card “${label}”`, title: "Edit (Enter)", text: "✎" }),
    el("button", { type: "button", class: "icon-btn", "data-action": "card-delete", "aria-label": `Delete card “${label}”`, title: "Delete", text: "✕" }));
}

// Put `nodes` in order in `parent`, moving only those out of place: a node taken out of the
// page loses focus, and an editor that loses focus saves and closes, so a card being edited
// must stay put while others arrive around it.
function arrange(parent, nodes) {
  let cursor = parent.firstElementChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else parent.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
}

const KINDS = {
  touchpoints: "Touchpoints", actions: "Actions", thoughts: "Thoughts", emotions: "Emotions",
  pain_points: "Pain points", opportunities: "Opportunities", backstage: "Backstage", kpis: "KPIs", text: "Text",
};
const sameWords = (a, b) => a.trim().toLowerCase() === b.trim().toLowerCase();
export const kindLabel = (kind) => KINDS[kind] || kind;
