// The whole board by keyboard. Arrows move the focus between cards and cells; on a card,
// Space picks it up, the arrows carry it (shown in place at once), Space or Enter drops it and
// Escape puts it back; Alt+arrows moves it one cell in one go. Enter edits a card, or adds a
// card to a focused cell; Delete deletes the focused card. Past the first lane or stage the
// arrows reach the stage and lane headers; Home and End go to the ends of a lane (with Ctrl, of
// the map). Which of these is in the tab order is roving.js's business.

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

  const cellName = (cell) => cell.dataset.name;
  const stageHead = (id) => grid.querySelector(`.stage-head[data-stage="${id}"]`);
  const laneHead = (id) => grid.querySelector(`.lane-row[data-lane="${id}"] .lane-head`);

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
    if (cell) return focusInto(cell, dy < 0 ? Infinity : dy > 0 ? 0 : at.index);
    // Past the edge: the header of the stage above, or of the lane on the left.
    if (dy < 0) stageHead(at.stage)?.focus();
    else if (dx < 0) laneHead(at.lane)?.focus();
  }

  // Home and End: the first or last stage of this lane; with Ctrl, of the first or last lane.
  function toEnd(from, last, wholeMap) {
    const { stages, lanes } = store;
    if (!stages.length || !lanes.length) return;
    const laneId = wholeMap ? lanes[last ? lanes.length - 1 : 0].id : Number(from.closest(".lane-row").dataset.lane);
    const stageId = stages[last ? stages.length - 1 : 0].id;
    focusInto(view.cellEl(stageId, laneId), 0);
  }

  // On a stage header: along the headers, or down into the first lane; on a lane header, along
  // the lane headers, or right into the first stage.
  function onHeadKey(event, head) {
    const dir = DIRECTIONS[event.key];
    const { stages, lanes } = store;
    if (head.classList.contains("stage-head")) {
      const i = stages.findIndex((s) => s.id === Number(head.dataset.stage));
      const to = (index) => stages[index] && stageHead(stages[index].id)?.focus();
      if (event.key === "Home" || event.key === "End") return to(event.key === "Home" ? 0 : stages.length - 1), true;
      if (!dir) return false;
      if (dir[0]) to(i + dir[0]);
      else if (dir[1] > 0 && lanes.length) focusInto(view.cellEl(stages[i].id, lanes[0].id), 0);
      return true;
    }
    const l = lanes.findIndex((x) => x.id === Number(head.closest(".lane-row").dataset.lane));
    if (!dir) return false;
    if (dir[1] && lanes[l + dir[1]]) laneHead(lanes[l + dir[1]].id)?.focus();
    else if (dir[0] > 0 && stages.length) focusInto(view.cellEl(stages[0].id, lanes[l].id), 0);
    return true;
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
    if (event.key === "Home" || event.key === "End") return toEnd(card, event.key === "End", event.ctrlKey), true;
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
    if (event.key === "Home" || event.key === "End") return toEnd(cell, event.key === "End", event.ctrlKey), true;
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
    else if (target.matches(".stage-head, .lane-head")) handled = onHeadKey(event, target);
    if (handled) event.preventDefault();
  });
}
