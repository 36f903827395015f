// What the board knows about evidence: how many pieces each stage and card has, per layer, and
// how many are stale. It starts from the board JSON (board.evidence, docs/api.md) and follows
// the evidence events, so the marks stay right without reloading. No DOM here.
import { signedPercent, withUnit } from "./format.js";
import { evidenceMovesScores } from "./scores-data.js";

export const LAYERS = ["quantitative", "qualitative", "behavioural"];
export const LAYER_LABELS = {
  quantitative: "Quantitative", qualitative: "Qualitative", behavioural: "Behavioural",
};
export const LAYER_OF = {
  metric: "quantitative", survey: "qualitative", quote: "qualitative",
  recording: "behavioural", image: "behavioural",
};

const byId = (tallies) => new Map(
  Object.entries(tallies || {}).map(([id, tally]) => [Number(id), { ...tally }]));

const emptyTally = () => ({ quantitative: 0, qualitative: 0, behavioural: 0, total: 0, stale: 0 });

function addInto(tally, other, sign = 1) {
  for (const key of Object.keys(tally)) {
    tally[key] = Math.max(0, tally[key] + sign * (other[key] || 0));
  }
  return tally;
}

export class EvidenceTally {
  constructor(data, cards) {
    this.load(data, cards);
  }

  // A stage's count in the board JSON includes its cards'; here a stage keeps only its own
  // pieces, and its cards' are added when drawn, so a card that moves takes its count along.
  load(data, cards) {
    this.staleAfterDays = data?.stale_after_days ?? 90;
    this.staleBefore = data?.stale_before ?? null;
    this.cards = byId(data?.cards);
    this.own = byId(data?.stages);
    for (const card of cards) {
      const tally = this.cards.get(card.id);
      if (tally && this.own.has(card.stage)) addInto(this.own.get(card.stage), tally, -1);
    }
  }

  isStale(piece) {
    return Boolean(piece.collected_on && this.staleBefore && piece.collected_on < this.staleBefore);
  }

  card(id) {
    return this.cards.get(id) || emptyTally();
  }

  // `cards`: the cards now on the board (the store's), to add those on this stage.
  stage(id, cards) {
    const tally = addInto(emptyTally(), this.own.get(id) || {});
    for (const card of cards) if (card.stage === id) addInto(tally, this.cards.get(card.id) || {});
    return tally;
  }

  // Count a piece in (sign 1) or out (sign -1) where it is: on its card, else on its stage.
  count(piece, layer, sign) {
    const holder = piece.card ? this.cards : this.own;
    const id = piece.card || piece.stage;
    if (!holder.has(id)) holder.set(id, emptyTally());
    const change = { [layer]: 1, total: 1, stale: this.isStale(piece) ? 1 : 0 };
    addInto(holder.get(id), change, sign);
  }

  countImport({ kind, stages }) {
    for (const [id, n] of Object.entries(stages || {})) {
      const own = this.own.get(Number(id)) || emptyTally();
      this.own.set(Number(id), addInto(own, { [LAYER_OF[kind]]: n, total: n }));
    }
  }
}

// Store handlers for the evidence events (store.js merges them into its own). Scores are the
// server's to compute: an event that may change them marks them stale (scores-data.js).
export const EVIDENCE_HANDLERS = {
  "evidence.created": (store, { evidence }) => {
    store.evidence.count(evidence, evidence.layer, 1);
    markScores(store, "evidence.created", { evidence });
    return { evidence: true };
  },
  "evidence.deleted": (store, { evidence }) => {
    store.evidence.count(evidence, evidence.layer, -1);
    markScores(store, "evidence.deleted", { evidence });
    return { evidence: true };
  },
  "evidence.updated": (store, { evidence, before }) => {
    markScores(store, "evidence.updated", { evidence });
    if (!before) return { evidence: true, evidenceReload: true }; // an event older than `before`
    store.evidence.count(before, evidence.layer, -1);
    store.evidence.count(evidence, evidence.layer, 1);
    return { evidence: true };
  },
  // Stale pieces of a CSV file are not known from the event: the board reloads the counts.
  "evidence.imported": (store, payload) => {
    store.evidence.countImport(payload);
    markScores(store, "evidence.imported", payload);
    return { evidence: true, evidenceReload: true };
  },
  "evidence.stale_age_set": (store, { evidence }) => {
    store.evidence.load(evidence, [...store.cards.values()]);
    return { evidence: true };
  },
  // The retention prune (docs/privacy.md): the counts come whole, and answers may have gone.
  "evidence.pruned": (store, { evidence }) => {
    store.evidence.load(evidence, [...store.cards.values()]);
    store.scores.markStale();
    return { evidence: true };
  },
};

function markScores(store, event, payload) {
  if (evidenceMovesScores(event, payload)) store.scores.markStale();
}

// How many of the three layers a tally covers: 0 (an assumption) to 3.
export const layersCovered = (tally) => LAYERS.filter((layer) => tally[layer] > 0).length;

// "3% → 4.5% (+50%)" for a metric with a baseline; "" without one.
export function metricChange(metric) {
  if (metric.baseline == null) return "";
  const { baseline, value, unit } = metric;
  const from = `${withUnit(baseline, unit)} → ${withUnit(value, unit)}`;
  const change = metric.change_percent;
  if (change == null) return from;
  return `${from} (${signedPercent(change)})`;
}

export function clockTime(seconds) {
  if (seconds == null) return "";
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
