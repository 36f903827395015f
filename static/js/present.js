// Present mode: a full-screen walkthrough of the map, one stage at a time, with the evidence
// behind it. The facilitator drives (buttons, arrow keys); everyone else follows the stage in
// map.controls.present. A participant may step out (Escape) and back in; the facilitator's
// "End" ends it for all. Built with textContent only: map text never becomes markup.

import { el, snippet } from "./dom.js";
import { kindLabel } from "./render.js";
import { formatNumber, mean, oneDecimal, signed, signedPercent, withUnit } from "./format.js";
import { hasScores } from "./scores-data.js";
import { scoreList } from "./scores-view.js";

const MOODS = [[1.5, "very positive"], [0.5, "positive"], [-0.5, "neutral"], [-1.5, "negative"]];
const SEVERITIES = { 1: "low", 2: "medium", 3: "high" };

export function moodOf(score) {
  return (MOODS.find(([floor]) => score >= floor) || [0, "very negative"])[1];
}

const safeLink = (url) => (/^https?:\/\//i.test(url || "") ? url : null);

export class Presenter {
  constructor({ root, store, send, isFacilitator, onLeave, onDrawn }) {
    Object.assign(this, { root, store, send, isFacilitator, onLeave, onDrawn });
    this.stageId = null;
    this.left = false; // a participant who stepped out, locally
    this.pending = false; // the facilitator opened it and waits for the server to agree
    this.evidence = new Map(); // stage id -> {pieces, scores}, or a promise of it
    this.overlay = null;
  }

  get isOpen() { return Boolean(this.overlay); }

  // The server's word: {stage} while presenting, null once it has ended.
  sync(present) {
    if (!present) {
      if (this.pending) return;
      this.left = false;
      return this.close();
    }
    this.pending = false;
    if (this.left) return;
    this.open(present.stage, false);
  }

  rejoin(gesture = false) {
    this.left = false;
    const present = this.store.map.controls?.present;
    if (present) this.open(present.stage, gesture);
  }

  open(stageId, gesture) {
    if (gesture && !this.store.map.controls?.present) this.pending = true;
    if (!this.overlay) this.build();
    if (gesture) this.fullScreen(true);
    if (stageId !== this.stageId || !this.overlay.dataset.drawn) this.show(stageId);
  }

  cancel() {
    this.pending = false;
    this.close();
  }

  leave() {
    this.left = true;
    this.close();
    this.onLeave();
  }

  close() {
    if (!this.overlay) return;
    if (document.fullscreenElement === this.overlay) document.exitFullscreen().catch(() => {});
    this.overlay.remove();
    this.overlay = null;
    this.stageId = null;
    this.evidence.clear();
    this.root.inert = false;
    this.root.querySelector(`[data-control="${this.isFacilitator ? "present" : "rejoin"}"]`)?.focus();
  }

  // --- the overlay ---------------------------------------------------------------------------

  build() {
    this.overlay = el("div", { class: "present-overlay", role: "dialog", "aria-modal": "true",
      "aria-labelledby": "present-title", tabindex: "-1" });
    this.overlay.addEventListener("keydown", (event) => this.onKey(event));
    this.overlay.addEventListener("click", (event) => this.onClick(event));
    document.body.append(this.overlay);
    this.root.inert = true; // the board behind stays put and out of the tab order
  }

  fullScreen(on) {
    if (on && this.overlay.requestFullscreen && document.fullscreenElement !== this.overlay) {
      // Refused without a user gesture (a participant's board following): the overlay stays.
      this.overlay.requestFullscreen().catch(() => {});
    } else if (!on && document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    }
  }

  show(stageId) {
    const stages = this.store.stages;
    const index = Math.max(0, stages.findIndex((s) => s.id === stageId));
    const stage = stages[index];
    this.stageId = stage?.id ?? null;
    this.overlay.dataset.drawn = "true";
    this.overlay.dataset.stage = this.stageId ?? "";
    const focused = this.overlay.contains(document.activeElement) ? document.activeElement.dataset.present : null;
    this.overlay.replaceChildren(this.bar(index, stages.length), this.body(stage));
    const again = focused && this.overlay.querySelector(`[data-present="${focused}"]:not([disabled])`);
    (again || this.overlay.querySelector("#present-title") || this.overlay).focus();
    if (stage) this.loadEvidence(stage.id);
    this.onDrawn();
  }

  bar(index, count) {
    const actions = this.isFacilitator ? [
      button("prev", "◀ Previous stage", index <= 0),
      button("next", "Next stage ▶", index >= count - 1),
      button("stop", "End presentation"),
    ] : [button("leave", "Leave presentation (Esc)")];
    return el("header", { class: "present-bar" },
      el("p", { class: "present-step", text: count ? `Stage ${index + 1} of ${count}` : "No stages" }),
      timerBadge(),
      el("div", { class: "present-actions" }, ...actions, button("fullscreen", "Full screen")));
  }

  body(stage) {
    if (!stage) return el("div", { class: "present-body" }, el("h2", { id: "present-title", tabindex: "-1", text: "This map has no stages." }));
    return el("div", { class: "present-body" },
      el("h2", { id: "present-title", tabindex: "-1", text: stage.title }),
      stage.description ? el("p", { class: "present-description", text: stage.description }) : null,
      this.emotion(stage),
      el("div", { class: "present-columns" }, this.lanes(stage),
        el("section", { class: "present-evidence", "aria-labelledby": "present-evidence-title" },
          el("h3", { id: "present-evidence-title", text: "Evidence" }),
          el("p", { class: "present-loading", text: "Loading the evidence…" }))));
  }

  cardsIn(stage, lane) {
    const ids = this.store.cells.get(`${stage.id}:${lane.id}`) || [];
    return ids.map((id) => this.store.cards.get(id)).filter(Boolean);
  }

  emotion(stage) {
    const scores = this.store.lanes.filter((l) => l.kind === "emotions")
      .flatMap((lane) => this.cardsIn(stage, lane)).map((c) => c.emotion_score).filter((s) => s != null);
    if (!scores.length) return el("p", { class: "present-emotion", text: "Feeling: no scores yet" });
    const average = oneDecimal(mean(scores));
    const mood = moodOf(average);
    return el("p", { class: `present-emotion mood-${mood.replace(" ", "-")}`,
      text: `Feeling: ${signed(average)} (${mood}), from ${scores.length} card${scores.length === 1 ? "" : "s"}` });
  }

  lanes(stage) {
    const sections = this.store.lanes.map((lane) => this.lane(stage, lane)).filter(Boolean);
    return el("div", { class: "present-lanes" },
      ...(sections.length ? sections : [el("p", { class: "present-empty", text: "No cards in this stage yet." })]));
  }

  lane(stage, lane) {
    let cards = this.cardsIn(stage, lane);
    if (!cards.length) return null;
    if (lane.kind === "pain_points") cards = [...cards].sort((a, b) => (b.severity || 0) - (a.severity || 0));
    return el("section", { class: `present-lane kind-${lane.kind}` },
      el("h3", { text: lane.title }),
      lane.title.toLowerCase() === kindLabel(lane.kind).toLowerCase() ? null : el("p", { class: "present-kind", text: kindLabel(lane.kind) }),
      el("ul", {}, ...cards.map((card) => el("li", { class: "present-card" },
        el("span", { text: card.text || "(empty card)" }), cardBadge(card, lane)))));
  }

  // --- evidence ------------------------------------------------------------------------------

  async loadEvidence(stageId) {
    if (!this.evidence.has(stageId)) this.evidence.set(stageId, fetchEvidence(this.root.dataset.mapId, stageId));
    let found;
    try {
      found = await this.evidence.get(stageId);
    } catch (error) {
      this.evidence.delete(stageId);
      found = error;
    }
    if (this.stageId === stageId && this.overlay) this.renderEvidence(found);
  }

  renderEvidence(found) {
    const section = this.overlay.querySelector(".present-evidence");
    const title = section.querySelector("h3");
    if (found instanceof Error) {
      return section.replaceChildren(title, el("p", { class: "present-empty", text: `The evidence could not be loaded: ${found.message}` }));
    }
    const { pieces, scores } = found;
    if (!pieces.length) {
      return section.replaceChildren(title, el("p", { class: "present-empty assumption", text: "No evidence yet: this stage is an assumption." }));
    }
    const groups = Object.entries(EVIDENCE_VIEWS).map(([kind, view]) => {
      const ofKind = pieces.filter((p) => p.kind === kind);
      if (kind === "survey") return scoresGroup(ofKind, scores);
      return ofKind.length ? el("div", { class: `evidence-group kind-${kind}` },
        el("h4", { text: view.title }), el("ul", {}, ...ofKind.map((p) => el("li", {}, ...view.draw(p), aboutCard(p, this.store))))) : null;
    });
    section.replaceChildren(title, ...groups.filter(Boolean));
  }

  evidenceChanged() {
    this.evidence.clear();
    if (this.overlay && this.stageId != null) this.loadEvidence(this.stageId);
  }

  boardChanged() {
    if (this.overlay) this.show(this.stageId);
  }

  // --- what people do --------------------------------------------------------------------------

  step(delta) {
    const stages = this.store.stages;
    const index = stages.findIndex((s) => s.id === this.stageId) + delta;
    if (index < 0 || index >= stages.length) return;
    this.send("present.goto", { stage: stages[index].id }, { label: "show the stage" });
  }

  stop() {
    this.send("present.stop", {}, { label: "end the presentation" });
  }

  onClick(event) {
    const action = event.target.closest("button[data-present]")?.dataset.present;
    if (!action) return;
    const actions = {
      prev: () => this.step(-1), next: () => this.step(1), stop: () => this.stop(), leave: () => this.leave(),
      fullscreen: () => this.fullScreen(document.fullscreenElement !== this.overlay),
    };
    actions[action]?.();
  }

  onKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      return this.isFacilitator ? this.stop() : this.leave();
    }
    if (!this.isFacilitator || event.target.closest("a, input, textarea")) return;
    const delta = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[event.key];
    if (delta) { event.preventDefault(); this.step(delta); }
  }
}

function button(action, text, disabled = false) {
  return el("button", { type: "button", class: "present-button", "data-present": action, disabled, text });
}

function timerBadge() {
  return el("div", { class: "timer", "data-timer": "", role: "timer", hidden: true },
    el("span", { class: "timer-time" }), el("span", { class: "timer-note" }));
}

function cardBadge(card, lane) {
  if (lane.kind === "pain_points" && card.severity) {
    return el("span", { class: "badge severity", "data-severity": card.severity,
      text: `Severity ${card.severity}/3 (${SEVERITIES[card.severity]})` });
  }
  if (lane.kind === "emotions" && card.emotion_score != null) {
    return el("span", { class: "badge score", "data-score": card.emotion_score, text: `Feeling ${signed(card.emotion_score)}` });
  }
  return card.channel ? el("span", { class: "badge channel", text: card.channel }) : null;
}

function aboutCard(piece, store) {
  const card = piece.card && store.cards.get(piece.card);
  return card ? el("span", { class: "evidence-about", text: `On the card “${snippet(card.text, 40)}”` }) : null;
}

// The stage's pieces, and its scores as the server computes them from its survey answers.
async function fetchEvidence(mapId, stageId) {
  const [pieces, scores] = await Promise.all([
    getJson(`/api/maps/${mapId}/evidence/?stage=${stageId}`),
    getJson(`/api/maps/${mapId}/evidence/scores/?stage=${stageId}`),
  ]);
  return { pieces, scores };
}

async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  return response.json();
}

// Survey answers are shown as the scores they add up to, with their n, not one by one; answers
// with only words and no score are counted.
function scoresGroup(answers, scores) {
  if (!answers.length) return null;
  const unscored = answers.filter((p) => p.score == null).length;
  const note = unscored
    ? `${hasScores(scores) ? "And " : ""}${formatNumber(unscored)} written answer${unscored === 1 ? "" : "s"} without a score.`
    : null;
  return el("div", { class: "evidence-group kind-survey" }, el("h4", { text: "Scores" }),
    hasScores(scores) ? scoreList(scores) : null,
    note ? el("p", { class: "evidence-source", text: note }) : null);
}


function metricLine(p) {
  const line = el("p", { class: "metric-line" }, el("strong", { text: `${p.name}: ` }),
    el("span", { class: "metric-value", text: withUnit(p.value, p.unit) }));
  if (p.baseline != null) {
    const change = p.change_percent == null ? "" : `, ${signedPercent(p.change_percent)}`;
    line.append(el("span", { class: `metric-change${p.change_percent > 0 ? " up" : p.change_percent < 0 ? " down" : ""}`,
      text: ` (from ${withUnit(p.baseline, p.unit)}${change})` }));
  }
  const parts = [line];
  const details = [p.target != null && `target ${withUnit(p.target, p.unit)}`, p.period, p.source,
    p.sample_size && `n = ${formatNumber(p.sample_size)}`].filter(Boolean);
  if (details.length) parts.push(el("span", { class: "evidence-source", text: details.join(" · ") }));
  return parts;
}

function quoteLine(p) {
  return [el("blockquote", { text: p.text }),
    el("span", { class: "evidence-source", text: [p.who, p.source].filter(Boolean).join(" · ") })];
}

function recordingLine(p) {
  const href = safeLink(p.start_url) || safeLink(p.url);
  const start = p.start_seconds ? ` from ${Math.floor(p.start_seconds / 60)}:${String(p.start_seconds % 60).padStart(2, "0")}` : "";
  const label = `Watch the recording (${p.provider || "link"})${start}`;
  return [href ? el("a", { href, target: "_blank", rel: "noopener noreferrer", text: `${label} ↗` }) : el("span", { text: label }),
    p.note ? el("span", { class: "evidence-source", text: p.note }) : null];
}

function imageLine(p) {
  const caption = p.caption || "Evidence image";
  return [el("a", { href: p.image_url, target: "_blank", rel: "noopener", class: "evidence-image" },
    el("img", { src: p.thumbnail_url, alt: caption, loading: "lazy" })),
  p.caption ? el("span", { class: "evidence-source", text: p.caption }) : null];
}

const EVIDENCE_VIEWS = {
  metric: { title: "Metrics", draw: metricLine },
  quote: { title: "Quotes", draw: quoteLine },
  survey: { title: "Scores", draw: null }, // drawn as scores, by scoresGroup
  recording: { title: "Recordings", draw: recordingLine },
  image: { title: "Images", draw: imageLine },
};
