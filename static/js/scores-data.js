// What the board knows about scores: NPS, CSAT and CES per stage (its cards' answers included),
// as the server computes them from the stored survey answers (evidence/scores.py; the board's
// `scores`, docs/evidence.md). The board never recomputes a score from answers: when an event
// may have changed one, the table is marked stale and asked for again. No DOM here.

import { api } from "./evidence-api.js";
import { formatNumber, signed } from "./format.js";

export const SCALES = ["nps", "csat", "ces"];
export const NO_SCORES = Object.freeze({ nps: null, csat: null, ces: null });

const NAMES = { nps: "NPS", csat: "CSAT", ces: "CES" };
const OUT_OF = { csat: 5, ces: 7 };

export const hasScores = (scores) => SCALES.some((scale) => scores?.[scale]);

// How many scored answers a stage's (or a segment's) scores count, on all three scales.
export const answerCount = (scores) => SCALES.reduce((n, scale) => n + (scores?.[scale]?.n || 0), 0);

const count = (n, noun) => `${formatNumber(n)} ${noun}${n === 1 ? "" : "s"}`;
const answers = (n) => count(n, "answer");

// "24 promoters · 10 passives · 1 detractor", joined by `glue`.
const npsParts = (entry, glue) => [count(entry.promoters, "promoter"),
  count(entry.passives, "passive"), count(entry.detractors, "detractor")].join(glue);

// The score alone, as a chip or a table cell shows it: "+12.5", "4.2".
export function scoreValue(scale, entry) {
  return scale === "nps" ? signed(entry.score) : formatNumber(entry.mean);
}

// The stage header's chip: "NPS +12.5 (n 40)", "CSAT 4.2", "CES 5.1".
export function chipText(scale, entry) {
  const value = `${NAMES[scale]} ${scoreValue(scale, entry)}`;
  return scale === "nps" ? `${value} (n ${formatNumber(entry.n)})` : value;
}

// The same in words, for screen readers and tooltips.
export function spokenScore(scale, entry) {
  if (scale === "nps") {
    const sign = entry.score > 0 ? "plus " : entry.score < 0 ? "minus " : "";
    return `Net Promoter Score ${sign}${formatNumber(Math.abs(entry.score))}, from `
      + `${answers(entry.n)}: ${npsParts(entry, ", ")}`;
  }
  const what = scale === "csat" ? "Customer satisfaction" : "Customer effort score";
  const top2 = scale === "csat" ? `, ${formatNumber(entry.top2)}% answered 4 or 5` : "";
  return `${what} ${formatNumber(entry.mean)} out of ${OUT_OF[scale]}${top2}, from ${answers(entry.n)}`;
}

// The lines of a scores block: {scale, value, detail} for each scale that has answers.
export function scoreLines(scores) {
  return SCALES.filter((scale) => scores?.[scale]).map((scale) => {
    const entry = scores[scale];
    const n = `n ${formatNumber(entry.n)}`;
    const detail = {
      nps: `${npsParts(entry, " · ")} · ${n}`,
      csat: `out of 5 · ${formatNumber(entry.top2)}% top-2 (4 or 5) · ${n}`,
      ces: `out of 7 · ${n}`,
    }[scale];
    return { scale, name: NAMES[scale], value: scoreValue(scale, entry), detail,
      spoken: spokenScore(scale, entry) };
  });
}

export class StageScores {
  constructor(data) {
    this.byStage = new Map(Object.entries(data || {}).map(([id, scores]) => [Number(id), scores]));
    this.stale = false;
    this.loading = false;
  }

  stage(id) {
    return this.byStage.get(id) || NO_SCORES;
  }

  markStale() {
    this.stale = true;
  }

  // Ask the server again, one request at a time: a change while one is on its way asks once
  // more after it, so the last answer is never older than the last change. `onFresh` runs after
  // each answer. A failed request leaves the table stale, to be asked again at the next event.
  async refresh(mapId, onFresh) {
    if (!this.stale || this.loading) return;
    this.stale = false;
    this.loading = true;
    try {
      const fresh = await api("GET", `/api/maps/${mapId}/evidence/scores/stages/`);
      this.byStage = new Map(Object.entries(fresh).map(([id, scores]) => [Number(id), scores]));
      onFresh();
    } catch {
      this.stale = true;
      return;
    } finally {
      this.loading = false;
    }
    this.refresh(mapId, onFresh);
  }
}

// Whether an evidence event may change scores: a survey answer came, went or changed; a file
// that is not metrics was imported (its answers are not in the event).
export function evidenceMovesScores(event, payload) {
  if (event === "evidence.imported") return payload.kind !== "metric";
  return payload.evidence?.kind === "survey";
}

// Whether these cards may take answers with them (moved to another stage, or deleted): only
// cards with qualitative evidence can hold survey answers.
export const cardsCarryAnswers = (store, cards) => (cards || [])
  .some((card) => store.evidence.card(card.id).qualitative > 0);
