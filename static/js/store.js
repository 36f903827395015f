import { EVIDENCE_HANDLERS, EvidenceTally } from "./evidence-data.js";
import { VOTING_HANDLERS, VotingState } from "./voting-data.js";
import { StageScores, cardsCarryAnswers } from "./scores-data.js";

// The board as the server last confirmed it. Only snapshots and events change it, so the page
// can always fall back to it when an optimistic change is refused.

export const cellKey = (stage, lane) => `${stage}:${lane}`;

export class Store {
  constructor(board) {
    this.load(board);
  }

  load(board) {
    const { stages, lanes, cards, evidence, scores, ...map } = board;
    this.map = map;
    this.revision = board.revision;
    this.stages = [...stages].sort(byPosition);
    this.lanes = [...lanes].sort(byPosition);
    this.cards = new Map(cards.map((card) => [card.id, card]));
    this.evidence = new EvidenceTally(evidence, cards);
    this.scores = new StageScores(scores);
    this.voting = new VotingState(board);
    this.cells = new Map();
    for (const card of [...cards].sort(byPosition)) this.cell(card.stage, card.lane).push(card.id);
  }

  cell(stage, lane) {
    const key = cellKey(stage, lane);
    if (!this.cells.has(key)) this.cells.set(key, []);
    return this.cells.get(key);
  }

  stage(id) { return this.stages.find((s) => s.id === id); }
  lane(id) { return this.lanes.find((l) => l.id === id); }

  // Apply one event; return what the view must redraw.
  apply(message) {
    this.revision = message.revision;
    this.map.revision = message.revision;
    const handler = HANDLERS[message.event];
    return handler ? handler(this, message.payload) : {};
  }
}

const byPosition = (a, b) => a.position - b.position || a.id - b.id;

function insertAxis(list, item) {
  const rest = list.filter((x) => x.id !== item.id);
  rest.splice(Math.min(item.position, rest.length), 0, item);
  return rest;
}

function reorderAxis(list, ids) {
  const byId = new Map(list.map((x) => [x.id, x]));
  return ids.map((id) => byId.get(id)).filter(Boolean);
}

function dropCards(store, cards) {
  for (const card of cards || []) store.cards.delete(card.id);
  const alive = new Set(store.stages.map((s) => s.id));
  const lanes = new Set(store.lanes.map((l) => l.id));
  for (const key of [...store.cells.keys()]) {
    const [stage, lane] = key.split(":").map(Number);
    if (!alive.has(stage) || !lanes.has(lane)) store.cells.delete(key);
  }
}

function placeCard(store, card) {
  store.cards.set(card.id, card);
  const ids = store.cell(card.stage, card.lane).filter((id) => id !== card.id);
  ids.splice(Math.min(card.position, ids.length), 0, card.id);
  store.cells.set(cellKey(card.stage, card.lane), ids);
}

// An undone delete (workshops/services/undo.py) brings back a stage's or lane's cards with it, and the
// evidence of what comes back: the board then reloads its evidence counts.
function restored(store, cards, evidence) {
  for (const card of [...(cards || [])].sort(byPosition)) placeCard(store, card);
  if (!evidence?.length) return {};
  store.scores.markStale();
  return { evidence: true, evidenceReload: true };
}

// Cards that go (to another stage, or away) take their survey answers and so their scores.
function answersGo(store, cards) {
  if (cardsCarryAnswers(store, cards)) store.scores.markStale();
}

const HANDLERS = {
  "map.updated": (store, { map }) => { Object.assign(store.map, map); return { map: true }; },
  "map.created": () => ({}),
  // A version restored: the event carries the whole board (docs/realtime.md); the vote stays.
  "map.restored": (store, { board }) => {
    const { voting } = store;
    store.load(board);
    store.voting = voting;
    return { axes: true, evidence: true, evidenceReload: true };
  },
  "stage.created": (store, { stage, cards, evidence }) => {
    store.stages = insertAxis(store.stages, stage);
    return { axes: true, ...restored(store, cards, evidence) };
  },
  "stage.updated": (store, { stage }) => {
    store.stages = store.stages.map((s) => (s.id === stage.id ? stage : s));
    return { axes: true };
  },
  "stage.moved": (store, { stage_ids }) => { store.stages = reorderAxis(store.stages, stage_ids); return { axes: true }; },
  "stage.deleted": (store, { stage, cards }) => {
    store.stages = store.stages.filter((s) => s.id !== stage.id);
    dropCards(store, cards);
    return { axes: true, deleted: (cards || []).map((c) => c.id) };
  },
  "lane.created": (store, { lane, cards, evidence }) => {
    store.lanes = insertAxis(store.lanes, lane);
    return { axes: true, ...restored(store, cards, evidence) };
  },
  "lane.updated": (store, { lane }) => {
    store.lanes = store.lanes.map((l) => (l.id === lane.id ? lane : l));
    return { axes: true };
  },
  "lane.moved": (store, { lane_ids }) => { store.lanes = reorderAxis(store.lanes, lane_ids); return { axes: true }; },
  "lane.deleted": (store, { lane, cards }) => {
    answersGo(store, cards);
    store.lanes = store.lanes.filter((l) => l.id !== lane.id);
    dropCards(store, cards);
    return { axes: true, deleted: (cards || []).map((c) => c.id) };
  },
  "card.created": (store, { card, evidence }) => {
    placeCard(store, card);
    return { cells: [cellKey(card.stage, card.lane)], ...restored(store, [], evidence) };
  },
  "card.updated": (store, { card }) => { store.cards.set(card.id, card); return { cards: [card.id] }; },
  "card.moved": (store, { card, from, to }) => {
    if (from.stage !== to.stage) answersGo(store, [card]);
    store.cards.set(card.id, card);
    store.cells.set(cellKey(from.stage, from.lane), from.card_ids);
    store.cells.set(cellKey(to.stage, to.lane), to.card_ids);
    return { cells: [cellKey(from.stage, from.lane), cellKey(to.stage, to.lane)], cards: [card.id] };
  },
  "card.deleted": (store, { card }) => {
    answersGo(store, [card]);
    store.cards.delete(card.id);
    const key = cellKey(card.stage, card.lane);
    store.cells.set(key, store.cell(card.stage, card.lane).filter((id) => id !== card.id));
    return { cells: [key], deleted: [card.id] };
  },
  ...EVIDENCE_HANDLERS,
  ...VOTING_HANDLERS,
};
