// The evidence marks on the board: a coverage button on each stage header (its three layers,
// "Assumption" when it has none, how many pieces are stale), the stage's score chips (NPS, CSAT,
// CES) under it, and a small mark on each card. The button and the mark open the evidence
// panel. They are updated in place, so a focused one keeps its focus.

import { el, snippet } from "./dom.js";
import { LAYERS, LAYER_LABELS, layersCovered } from "./evidence-data.js";
import { hasScores } from "./scores-data.js";
import { scoreChips } from "./scores-view.js";

const SHORT = { quantitative: "Quant", qualitative: "Qual", behavioural: "Behav" };

export function stageTally(store, stageId) {
  return store.evidence.stage(stageId, store.cards.values());
}

// The stage header's button; `node` is the one to refill, if there is one already.
export function stageCoverage(store, stage, node = null) {
  const tally = stageTally(store, stage.id);
  const button = node || el("button", { type: "button", class: "evidence-coverage",
    "data-evidence-stage": stage.id });
  button.dataset.layers = layersCovered(tally);
  button.title = "Evidence (E)";
  // Spaced words ("Quant 0 Qual 1"), so that the name below can hold the visible text as it reads.
  const pips = LAYERS.map((layer) => el("span", {
    class: `layer-pip${tally[layer] ? " covered" : ""}`, "data-layer": layer, "aria-hidden": "true",
  }, el("span", { class: "pip-name", text: SHORT[layer] }), " ",
  el("span", { class: "pip-count", text: tally[layer] })));
  button.replaceChildren(...pips.flatMap((pip) => [pip, " "]), flags(tally));
  const visible = button.textContent.replace(/\s+/g, " ").trim();
  button.setAttribute("aria-label",
    `Evidence for stage ${stage.title}, ${visible}: ${describe(tally)}. Open the evidence panel.`);
  return button;
}

// The stage header's score chips; `node` is the holder to refill, if there is one already.
export function stageScores(store, stage, node = null) {
  const scores = store.scores.stage(stage.id);
  const holder = node || el("span", { class: "stage-scores", "data-scores-stage": stage.id });
  holder.hidden = !hasScores(scores);
  holder.replaceChildren(...scoreChips(scores));
  return holder;
}

function renderScoreChips(view) {
  const { grid, store } = view;
  for (const stage of store.stages) {
    const node = grid.querySelector(`.stage-scores[data-scores-stage="${stage.id}"]`);
    if (node) stageScores(store, stage, node);
  }
}

function flags(tally) {
  const box = el("span", { class: "evidence-flags", "aria-hidden": "true" });
  if (!tally.total) box.append(el("span", { class: "assumption-flag", text: "Assumption" }));
  if (tally.stale) box.append(" ", el("span", { class: "stale-flag", text: `${tally.stale} stale` }));
  return box;
}

export function describe(tally) {
  if (!tally.total) return "no evidence, an assumption";
  const layers = LAYERS.map((layer) => `${LAYER_LABELS[layer].toLowerCase()} ${tally[layer]}`)
    .join(", ");
  return `${layers}${tally.stale ? `; ${tally.stale} stale` : ""}`;
}

// The card's mark: the number of pieces, or "Assumption" when it has none.
export function cardMark(store, card, node = null) {
  const tally = store.evidence.card(card.id);
  const mark = node || el("button", { type: "button", class: "evidence-mark",
    "data-evidence-card": card.id });
  mark.dataset.count = tally.total;
  mark.classList.toggle("stale", tally.stale > 0);
  mark.textContent = tally.total ? `◆ ${tally.total}` : "Assumption";
  const name = `card “${snippet(card.text, 30)}”`;
  mark.setAttribute("aria-label",
    `Evidence for ${name}: ${describe(tally)}. Open the evidence panel.`);
  mark.title = "Evidence (E)";
  return mark;
}

// Refill every mark, and the coverage level each cell shows when the board is coloured. Scores
// an event has made stale are asked for again, and their chips refilled when they come.
export function renderEvidenceMarks(view) {
  const { grid, store } = view;
  renderScoreChips(view);
  store.scores.refresh(store.map.id, () => renderScoreChips(view));
  for (const stage of store.stages) {
    const head = grid.querySelector(`.stage-head[data-stage="${stage.id}"]`);
    const button = head?.querySelector(".evidence-coverage");
    if (head && !button) head.append(stageCoverage(store, stage));
    else if (button) stageCoverage(store, stage, button);
    const level = String(layersCovered(stageTally(store, stage.id)));
    for (const cell of grid.querySelectorAll(`.cell[data-stage="${stage.id}"]`)) {
      cell.dataset.evidenceLayers = level;
    }
  }
  for (const [id, node] of view.cards) {
    const card = store.cards.get(id);
    const mark = node.querySelector(".evidence-mark");
    if (card && mark) cardMark(store, card, mark);
  }
}
