// What this person knows of the workshop rounds: whether private brainstorming is on, and the
// last dot vote. While a vote is open that is only their own dots; the ranking comes with the
// close. Others' dots and private cards never reach this page (docs/realtime.md, "Secrets").

// As store.js spells it; not imported from there, since store.js imports this module.
const cellKey = (stage, lane) => `${stage}:${lane}`;

export const VOTE_LANES = new Set(["pain_points", "opportunities"]);

export class VotingState {
  constructor(board) {
    this.privateMode = Boolean(board.private_mode);
    this.vote = board.vote || null;
  }

  get isOpen() { return this.vote?.status === "open"; }
  get isRevealed() { return this.vote?.status === "revealed"; }

  // My dots on a card, while the vote is open.
  dotsOn(cardId) {
    return this.vote?.mine?.find((entry) => entry.card === cardId)?.dots || 0;
  }

  // Dots on cards since deleted come back to their voter, as on the server.
  dotsLeft(cards) {
    const placed = (this.vote?.mine || []).filter((entry) => cards.has(entry.card))
      .reduce((sum, entry) => sum + entry.dots, 0);
    return (this.vote?.dots_per_person || 0) - placed;
  }

  // The revealed ranking, without cards deleted since: [{card, votes, rank}].
  ranking(cards) {
    const rows = (this.vote?.ranking || []).filter((row) => cards.has(row.card));
    return rows.map((row, index) => ({ ...row, rank: index + 1 }));
  }
}

const mineChanged = (store, { round, mine, dots_left: dotsLeft }) => {
  if (store.voting.vote?.round === round) Object.assign(store.voting.vote, { mine, dots_left: dotsLeft });
  return { voting: true };
};

export const VOTING_HANDLERS = {
  // Someone's secret change (a dot, a private card): a revision with nothing to apply.
  hidden: () => ({}),
  "vote.opened": (store, { vote }) => {
    store.voting.vote = { ...vote, mine: [], dots_left: vote.dots_per_person };
    return { voting: true };
  },
  "vote.placed": mineChanged,
  "vote.removed": mineChanged,
  "vote.closed": (store, { vote }) => {
    store.voting.vote = { ...store.voting.vote, ...vote };
    return { voting: true };
  },
  "private.started": (store) => { store.voting.privateMode = true; return { voting: true }; },
  "private.revealed": (store, { cards, cells }) => {
    store.voting.privateMode = false;
    for (const card of cards) store.cards.set(card.id, card);
    for (const cell of cells) store.cells.set(cellKey(cell.stage, cell.lane), cell.card_ids);
    return { voting: true, cells: cells.map((c) => cellKey(c.stage, c.lane)), cards: cards.map((c) => c.id) };
  },
};
