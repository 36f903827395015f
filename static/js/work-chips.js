// What the board's card links and opportunity work draw in more than one place (card-links.js on
// the cards, opportunity-panel.js in the side panel): a ticket's chip, a card named in a sentence.

import { el, snippet } from "./dom.js";

export function ticketChip(ticket) {
  return el("a", {
    class: `ticket-chip tracker-${ticket.tracker}`, href: ticket.url, target: "_blank",
    rel: "noopener noreferrer", title: ticket.url,
    "aria-label": `${ticket.name} ${ticket.key} (opens in a new tab)`,
  }, el("span", { class: "ticket-tracker", text: ticket.name }), " ", el("span", { class: "ticket-key", text: ticket.key }));
}

export const cardName = (store, id) => {
  const card = store.cards.get(id);
  const stage = card && store.stage(card.stage);
  return card ? `“${snippet(card.text, 40)}”${stage ? ` (${stage.title})` : ""}` : "a card";
};
