// Links between cards and opportunities as work, on the live board (docs/realtime.md, "Links
// and opportunities"): an opportunity names the pain points it answers, across stages. Each
// card shows its status, tickets and links; focusing or hovering a card marks the cards it is
// linked to; the card's side panel has the Work block (opportunity-panel.js). The board's
// `links` and `opportunities` come with the snapshot; every change comes back as an event.
// board.js calls install() once, afterSnapshot() for each snapshot, afterEvent() for each event.

import { el } from "./dom.js";
import { WorkBlock } from "./opportunity-panel.js";
import { ticketChip } from "./work-chips.js";

const LINKED = "link-target";
const SOURCE = "link-source";

export function installCardLinks({ root, store, view, panel, toast, announce }) {
  const work = new WorkState(store.map);
  const block = new WorkBlock({ root, store, panel, work, toast, announce });
  view.decorators.push((node, card, lane) => decorate(node, card, lane, work));
  installHighlight(view, work);
  panel.node.addEventListener("subjectchange", (event) => block.show(event.detail));
  const redraw = () => {
    for (const [id, node] of view.cards) {
      const card = store.cards.get(id);
      if (card) decorate(node, card, store.lane(card.lane), work);
    }
    block.render();
  };
  redraw();
  return {
    afterSnapshot() { work.load(store.map); redraw(); },
    afterEvent(event) {
      if (work.apply(event, store)) redraw();
    },
  };
}

// --- what the board holds -----------------------------------------------------------------

export class WorkState {
  constructor(board) { this.load(board); }

  load(board) {
    this.links = new Map(Object.values(board?.links || {}).map((link) => [link.id, link]));
    this.work = new Map(Object.entries(board?.opportunities || {}).map(([id, w]) => [Number(id), w]));
  }

  of(cardId) { return this.work.get(cardId) || null; }

  // The links a card is an end of, and the card at the other end of each.
  linksOf(cardId) {
    const found = [];
    for (const link of this.links.values()) {
      if (link.opportunity === cardId) found.push({ link, other: link.pain_point });
      else if (link.pain_point === cardId) found.push({ link, other: link.opportunity });
    }
    return found;
  }

  // Apply an event; true when something of ours changed.
  apply({ event, payload }, store) {
    if (event === "map.restored") { this.load(payload.board); return true; }
    if (event === "link.created") { this.links.set(payload.link.id, payload.link); return true; }
    if (event === "link.deleted") return this.links.delete(payload.link.id);
    if (event === "opportunity.updated") {
      this.work.set(payload.opportunity.card, payload.opportunity);
      return true;
    }
    let changed = false;
    // An undone deletion brings its cards' links and work back with them.
    for (const link of payload?.links || []) { this.links.set(link.id, link); changed = true; }
    for (const item of payload?.opportunities || []) { this.work.set(item.card, item); changed = true; }
    // A deleted card (or stage, or lane) takes its links with it.
    for (const [id, link] of this.links) {
      if (!store.cards.has(link.opportunity) || !store.cards.has(link.pain_point)) {
        this.links.delete(id);
        changed = true;
      }
    }
    return changed;
  }
}

// --- on each card ---------------------------------------------------------------------------

function decorate(node, card, lane, work) {
  node.querySelector(".card-work")?.remove();
  const kind = lane?.kind;
  const linked = work.linksOf(card.id);
  const item = kind === "opportunities" ? work.of(card.id) : null;
  if (!item && !linked.length) { delete node.dataset.links; return; }
  node.dataset.links = linked.map(({ other }) => other).join(" ");
  const strip = el("div", { class: "card-work" });
  if (item) {
    strip.append(el("span", { class: `work-status status-${item.status}`, text: item.status_label }));
    if (item.owner_name) strip.append(el("span", { class: "work-owner", text: item.owner_name }));
    for (const ticket of item.tickets) strip.append(ticketChip(ticket));
  }
  if (linked.length) {
    const what = kind === "pain_points" ? "answered by" : "answers";
    const n = linked.length;
    strip.append(el("span", {
      class: "link-count", title: `Focus the card to see the ${n === 1 ? "card" : "cards"} it is linked to`,
      text: `⇄ ${what} ${n}`, // in DejaVu Sans: no emoji font is needed
      "aria-label": `Linked: ${what} ${n} ${kind === "pain_points" ? "opportunit" + (n === 1 ? "y" : "ies") : "pain point" + (n === 1 ? "" : "s")}`,
    }));
  }
  const meta = node.querySelector(".card-meta");
  if (meta) meta.before(strip);
  else node.append(strip);
}

// Focus or hover a card: the cards it is linked to are marked, wherever they are on the board.
function installHighlight(view, work) {
  let marked = [];
  const clear = () => {
    for (const node of marked) node.classList.remove(LINKED, SOURCE);
    marked = [];
  };
  const mark = (event) => {
    const node = event.target.closest?.(".card[data-card]");
    if (!node) return;
    clear();
    const linked = work.linksOf(Number(node.dataset.card));
    if (!linked.length) return;
    node.classList.add(SOURCE);
    marked.push(node);
    for (const { other } of linked) {
      const target = view.cards.get(other);
      if (target) { target.classList.add(LINKED); marked.push(target); }
    }
  };
  view.grid.addEventListener("mouseover", mark);
  view.grid.addEventListener("focusin", mark);
  view.grid.addEventListener("mouseleave", clear);
  view.grid.addEventListener("focusout", (event) => { if (!view.grid.contains(event.relatedTarget)) clear(); });
}
