// The grid as one stop of Tab (the ARIA grid pattern, with a roving tabindex). One item of the
// grid (a card, a cell, a stage or lane header) is in the tab order at a time, its own buttons
// right after it; everything else in the grid is out of it. The arrow keys (keyboard.js) move
// the focus between items, and the item that has the focus becomes the one Tab comes back to.
//
// Whatever draws into the grid (render.js, voting.js, the evidence marks, comments) needs to do
// nothing: a MutationObserver takes each new node out of the tab order as it arrives.

export const ITEMS = ".card, .cell, .stage-head, .lane-head";
const FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

export function installRoving(grid) {
  let active = null;
  let last = null; // where the active item was, to find its successor once it is redrawn

  const itemOf = (node) => node?.closest?.(ITEMS) || null;

  // Written only when it changes: a big board has tens of thousands of these.
  function setTabStop(node) {
    if (node.matches(ITEMS)) {
      const want = node === active ? "0" : "-1";
      if (node.getAttribute("tabindex") !== want) node.setAttribute("tabindex", want);
    } else if (itemOf(node) === active) {
      // A control of the active item keeps its own place in the tab order; any other is out.
      if (node.hasAttribute("tabindex")) node.removeAttribute("tabindex");
    } else if (node.getAttribute("tabindex") !== "-1") {
      node.setAttribute("tabindex", "-1");
    }
  }

  function tame(root) {
    if (root.matches?.(`${FOCUSABLE}, ${ITEMS}`)) setTabStop(root);
    for (const node of root.querySelectorAll?.(`${FOCUSABLE}, ${ITEMS}`) || []) setTabStop(node);
  }

  function activate(item) {
    if (!item || item === active) return;
    const before = active;
    active = item;
    last = { ...item.dataset, kind: item.classList[0] };
    if (before?.isConnected) tame(before);
    tame(item);
  }

  // The same card, or the cell or header in the same place, or the first of the grid.
  function successor() {
    const { kind, stage, lane } = last || {};
    const pick = (selector) => (selector ? grid.querySelector(selector) : null);
    if (kind === "cell") return pick(`.cell[data-stage="${stage}"][data-lane="${lane}"]`);
    if (kind === "stage-head") return pick(`.stage-head[data-stage="${stage}"]`);
    return null;
  }

  function first() {
    return successor() || grid.querySelector(".lane-row .card:not([hidden])") || grid.querySelector(".cell")
      || grid.querySelector(".stage-head");
  }

  function ensureActive() {
    if (active?.isConnected && !active.hidden) return;
    active = null;
    activate(first());
  }

  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node.nodeType === 1) tame(node);
    ensureActive();
  }).observe(grid, { childList: true, subtree: true });

  grid.addEventListener("focusin", (event) => activate(itemOf(event.target)));
  // Escape on one of an item's buttons goes back to the item (not from a text field or a list,
  // where Escape has its own meaning).
  grid.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.target.matches(`${ITEMS}, input, textarea, select`)) return;
    const item = itemOf(event.target);
    if (!item) return;
    event.preventDefault();
    item.focus();
  });

  tame(grid);
  ensureActive();
  return {
    focus() { ensureActive(); active?.focus(); },
    get active() { return active; },
  };
}
