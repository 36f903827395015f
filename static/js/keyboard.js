// The whole board by keyboard. Arrows move the focus between cards and cells; on a card,
// Space picks it up, the arrows carry it (shown in place at once), Space or Enter drops it and
// Escape puts it back; Alt+arrows moves it one cell in one go. Enter edits a card, or adds a
// card to a focused cell; Delete deletes the focused card.

const DIRECTIONS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

export function installKeyboard(view, actions) {
  const { grid, store } = view;
  let lifted = null; // {id, from: {stage, lane, index}, to: {stage, lane, index}}

  const where = (card) => {
    const cell = card.closest(".cell");
    const cards = [...cell.querySelectorAll(".card")];
    return { stage: Number(cell.dataset.stage), lane: Number(cell.dataset.lane), index: cards.indexOf(card), cell, cards };
  };

  // The cell dx stages and dy lanes away, or null at the edge of the board.
  const neighbour = ({ stage, lane }, dx, dy) => {
    const s = store.stages.findIndex((x) => x.id === stage) + dx;
    const l = store.lanes.findIndex((x) => x.id === lane) + dy;
    if (s < 0 || l < 0 || s >= store.stages.length || l >= store.lanes.length) return null;
    return view.cellEl(store.stages[s].id, store.lanes[l].id);
  };

  const cellName = (cell) => cell.getAttribute("aria-label");

  function focusInto(cell, index) {
    const cards = cell.querySelectorAll(".card:not([hidden])");
    const target = cards.length ? cards[Math.max(0, Math.min(index, cards.length - 1))] : cell;
    target.focus();
  }

  function navigate(from, dx, dy) {
    const card = from.classList.contains("card") ? from : null;
    const at = card ? where(card) : { stage: Number(from.dataset.stage), lane: Number(from.dataset.lane), index: 0 };
    if (card && dy) {
      const next = at.cards[at.index + dy];
      if (next) return next.focus();
    }
    const cell = neighbour(at, dx, dy);
    if (cell) focusInto(cell, dy < 0 ? Infinity : dy > 0 ? 0 : at.index);
  }

  // Where a lifted card goes for one arrow: along its cell first, then to the next cell.
  function carry(dx, dy) {
    const { to } = lifted;
    const card = view.cards.get(lifted.id);
    const count = [...view.cellEl(to.stage, to.lane).querySelectorAll(".card")].filter((c) => c !== card).length;
    if (dy && to.index + dy >= 0 && to.index + dy <= count) {
      lifted.to = { ...to, index: to.index + dy };
    } else {
      const cell = neighbour(to, dx, dy);
      if (!cell) return actions.announce("Edge of the board.");
      const size = cell.querySelectorAll(".card").length;
      lifted.to = { stage: Number(cell.dataset.stage), lane: Number(cell.dataset.lane), index: dy > 0 ? 0 : size };
    }
    view.placeCard(lifted.id, lifted.to.stage, lifted.to.lane, lifted.to.index);
    card.focus();
    const cell = view.cellEl(lifted.to.stage, lifted.to.lane);
    actions.announce(`${cellName(cell)}, position ${lifted.to.index + 1}.`);
  }

  function lift(card) {
    const at = where(card);
    lifted = { id: Number(card.dataset.card), from: at, to: { stage: at.stage, lane: at.lane, index: at.index } };
    card.classList.add("lifted");
    actions.announce("Picked up. Arrows move it, Space or Enter drops it, Escape puts it back.");
  }

  function drop(card, cancel) {
    const { id, from, to } = lifted;
    lifted = null;
    card.classList.remove("lifted");
    const moved = from.stage !== to.stage || from.lane !== to.lane || from.index !== to.index;
    if (cancel || !moved) {
      actions.restore(from, to);
      card.focus();
      actions.announce(cancel ? "Move cancelled." : "Dropped where it was.");
      return;
    }
    actions.moveCard(id, to.stage, to.lane, to.index);
    card.focus();
  }

  function onCardKey(event, card) {
    const dir = DIRECTIONS[event.key];
    if (lifted && lifted.id === Number(card.dataset.card)) {
      if (dir) carry(...dir);
      else if (event.key === " " || event.key === "Enter") drop(card, false);
      else if (event.key === "Escape") drop(card, true);
      else return false;
      return true;
    }
    if (dir && event.altKey && view.canEdit) {
      const at = where(card);
      const cell = neighbour(at, ...dir);
      if (!cell) return actions.announce("Edge of the board."), true;
      actions.moveCard(Number(card.dataset.card), Number(cell.dataset.stage), Number(cell.dataset.lane),
        cell.querySelectorAll(".card").length);
      card.focus();
      return true;
    }
    if (dir) return navigate(card, ...dir), true;
    if (!view.canEdit) return false;
    if (event.key === " ") lift(card);
    else if (event.key === "Enter" || event.key === "F2") actions.editCard(Number(card.dataset.card));
    else if (event.key === "Delete") actions.deleteCard(Number(card.dataset.card));
    else return false;
    return true;
  }

  function onCellKey(event, cell) {
    const dir = DIRECTIONS[event.key];
    if (dir) return navigate(cell, ...dir), true;
    if (event.key === "Enter" && view.canEdit) {
      actions.addCard(Number(cell.dataset.stage), Number(cell.dataset.lane));
      return true;
    }
    return false;
  }

  grid.addEventListener("keydown", (event) => {
    const target = event.target;
    let handled = false;
    if (target.matches(".card:not([data-editing])")) handled = onCardKey(event, target);
    else if (target.matches(".cell")) handled = onCellKey(event, target);
    if (handled) event.preventDefault();
  });
}
