// Dot voting and private brainstorming on the board: the facilitator's toolbar group, the dots
// on pain-point and opportunity cards, the ranking once a vote is closed, the "only you see
// this" mark on private cards, and a banner while either round is on.
//
// Everything drawn here comes from store.voting, which only snapshots and events change; a dot
// shows once the server has counted it (its event comes back to this page alone).

import { el, snippet } from "./dom.js";
import { VOTE_LANES } from "./voting-data.js";

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function installVoting({ root, store, view, send, toast, announce }) {
  const state = () => store.voting;
  const laneOf = (card) => store.lane(card.lane);

  // --- on each card ----------------------------------------------------------------------

  function decorateCard(node, card, lane) {
    node.classList.toggle("is-private", Boolean(card.private));
    if (card.private) node.append(el("p", { class: "private-mark", text: "Only you see this" }));
    if (!VOTE_LANES.has(lane?.kind)) return;
    if (state().isOpen) node.append(dotControls(card));
    // An unranked card has no badge; append(null) would write "null", once more each redraw.
    else if (state().isRevealed) node.append(...[rankBadge(card)].filter(Boolean));
  }

  function dotControls(card) {
    const label = snippet(card.text, 30);
    const mine = state().dotsOn(card.id);
    const left = state().dotsLeft(store.cards);
    return el("div", { class: "card-dots", role: "group", "aria-label": `Your dots on “${label}”` },
      el("span", { class: "dot-pips", "aria-hidden": "true", text: "●".repeat(mine) }),
      el("span", { class: "dot-mine", text: mine ? `You: ${plural(mine, "dot")}` : "No dot from you" }),
      el("button", { type: "button", class: "dot-btn", "data-vote": "place", "aria-disabled": left ? null : "true",
        "aria-label": `Place a dot on “${label}”`, title: "Place a dot", text: "+ Dot" }),
      el("button", { type: "button", class: "dot-btn", "data-vote": "remove", "aria-disabled": mine ? null : "true",
        "aria-label": `Take a dot back from “${label}”`, title: "Take a dot back", text: "− Dot" }));
  }

  function rankBadge(card) {
    const row = state().ranking(store.cards).find((entry) => entry.card === card.id);
    if (!row) return null;
    return el("span", { class: "badge dot-rank", "data-rank": row.rank,
      text: `#${row.rank} · ${plural(row.votes, "dot")}` });
  }

  // --- dots ------------------------------------------------------------------------------

  function onDotClick(event) {
    const button = event.target.closest("button[data-vote]");
    if (!button || !root.contains(button)) return;
    const cardId = Number(button.closest(".card").dataset.card);
    const vote = state().vote;
    if (!state().isOpen) return toast("The vote is closed.", "error");
    if (button.dataset.vote === "place") placeDot(vote, cardId);
    else takeDotBack(vote, cardId);
  }

  function placeDot(vote, cardId) {
    if (!state().dotsLeft(store.cards)) {
      return toast(`You have placed all ${vote.dots_per_person} of your dots: take one back first.`, "error");
    }
    send("vote.place", { round: vote.round, card: cardId }, {
      label: "place the dot", onAck: () => announce(`Dot placed. ${leftText()}`) });
  }

  function takeDotBack(vote, cardId) {
    if (!state().dotsOn(cardId)) return toast("You have no dot on this card.", "error");
    send("vote.remove", { round: vote.round, card: cardId }, {
      label: "take the dot back", onAck: () => announce(`Dot taken back. ${leftText()}`) });
  }

  const leftText = () => {
    const { vote } = state();
    return `${state().dotsLeft(store.cards)} of ${vote.dots_per_person} dots left.`;
  };

  // --- the banner and the ranking ----------------------------------------------------------

  function renderBanner() {
    const banner = root.querySelector("#voting-banner");
    let text = "";
    if (state().privateMode) {
      text = "Private brainstorming: the cards you add now are seen only by you, until the facilitator reveals them.";
    } else if (state().isOpen) {
      text = `Dot voting is open: place your dots on pain points and opportunities. ${leftText()}`;
    }
    banner.hidden = !text;
    banner.textContent = text;
    banner.dataset.kind = state().privateMode ? "private" : "vote";
  }

  function renderRanking() {
    const panel = root.querySelector("#vote-results");
    const rows = state().isRevealed ? state().ranking(store.cards) : [];
    panel.hidden = !state().isRevealed;
    const list = panel.querySelector("#vote-ranking");
    list.replaceChildren(...rows.map((row) => rankingItem(row)));
    panel.querySelector("#vote-results-empty").hidden = rows.length > 0;
  }

  function rankingItem(row) {
    const card = store.cards.get(row.card);
    const where = [store.stage(card.stage)?.title, laneOf(card)?.title].filter(Boolean).join(" / ");
    return el("li", { class: "ranking-row" },
      el("span", { class: "badge dot-rank", "data-rank": row.rank, text: `#${row.rank} · ${plural(row.votes, "dot")}` }),
      el("span", { class: "ranking-text", text: snippet(card.text, 80) }),
      el("span", { class: "ranking-where", text: where }));
  }

  // --- the facilitator's controls ----------------------------------------------------------

  const controls = root.querySelector("#voting-controls");

  function renderControls() {
    if (!controls) return;
    const { isOpen, privateMode } = state();
    controls.querySelector("#vote-open-form").hidden = isOpen || privateMode;
    controls.querySelector("#vote-close").hidden = !isOpen;
    controls.querySelector("#private-start").hidden = privateMode || isOpen;
    controls.querySelector("#private-reveal").hidden = !privateMode;
  }

  function installControls() {
    if (!controls) return;
    controls.querySelector("#vote-open-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const dots = Number(event.target.elements.dots.value);
      if (!Number.isInteger(dots) || dots < 1 || dots > 20) {
        return toast("Dots per person must be a whole number from 1 to 20.", "error");
      }
      send("vote.open", { dots_per_person: dots }, { label: "open the vote" });
    });
    controls.querySelector("#vote-close").addEventListener("click", () => {
      send("vote.close", { round: state().vote.round }, { label: "close the vote" });
    });
    controls.querySelector("#private-start").addEventListener("click", () => {
      send("private.start", {}, { label: "start private brainstorming" });
    });
    controls.querySelector("#private-reveal").addEventListener("click", () => {
      send("private.reveal", {}, { label: "reveal the cards" });
    });
  }

  // --- keeping up --------------------------------------------------------------------------

  const ANNOUNCEMENTS = {
    "vote.opened": (p) => `Dot voting is open: ${plural(p.vote.dots_per_person, "dot")} each.`,
    "vote.closed": () => "The vote is closed: the ranking is shown.",
    "private.started": () => "Private brainstorming has started: your new cards are seen only by you.",
    "private.revealed": (p) => `${plural(p.cards.length, "private card")} revealed to everyone.`,
  };

  // After each event (or snapshot): redraw what the rounds show. Cards are redrawn when the
  // rounds changed, or when a card holding my dots went (the dots come back).
  function refresh(changes = { voting: true }, event = null) {
    const mine = (state().vote?.mine || []).map((entry) => entry.card);
    if (changes.voting || (changes.deleted || []).some((id) => mine.includes(id))) {
      for (const id of view.cards.keys()) view.renderCard(id);
    }
    renderBanner();
    renderRanking();
    renderControls();
    const say = event && ANNOUNCEMENTS[event.event];
    if (say) announce(say(event.payload));
  }

  view.decorators.push(decorateCard);
  root.addEventListener("click", onDotClick);
  installControls();
  return { refresh };
}
