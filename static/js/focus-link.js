// A link to a card or a stage of the board (/maps/12/#card-34, #stage-8: what the search's
// results link to) opens the board on it: scrolled into view, focused, and marked for a while.
// A card the reader may not see (someone's private card, or one deleted since) is not on the
// board: then the board opens as it is, and says so.

const LINK = /^#(card|stage)-(\d+)$/;
const MARKED = "linked";

export function installFocusLink(view, { announce }) {
  const open = () => {
    const match = LINK.exec(window.location.hash);
    if (!match) return;
    const [, kind, id] = match;
    const node = kind === "card" ? view.cards.get(Number(id)) : view.grid.querySelector(`.stage-head[data-stage="${id}"]`);
    if (!node || node.hidden) return announce(`That ${kind} is not on this board.`);
    if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
    view.root.querySelectorAll(`.${MARKED}`).forEach((other) => other.classList.remove(MARKED));
    node.classList.add(MARKED);
    node.scrollIntoView({ block: "center", inline: "center" });
    node.focus({ preventScroll: true });
  };
  open();
  window.addEventListener("hashchange", open);
}
