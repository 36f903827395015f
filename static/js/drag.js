// Drag and drop of cards between cells, with the browser's own (HTML5) drag and drop. The drop
// position is the first card whose middle lies below the pointer.

export function installDrag(view, { onMove }) {
  const { grid } = view;
  let dragged = null;

  grid.addEventListener("dragstart", (event) => {
    const card = event.target.closest?.(".card");
    if (!card || card.dataset.editing || !view.canEdit) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.card);
    requestAnimationFrame(() => card.classList.add("dragging"));
  });

  grid.addEventListener("dragover", (event) => {
    const cell = event.target.closest?.(".cell");
    if (!dragged || !cell) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    highlight(cell);
  });

  grid.addEventListener("drop", (event) => {
    const cell = event.target.closest?.(".cell");
    if (!dragged || !cell) return;
    event.preventDefault();
    const index = dropIndex(cell, event.clientY, dragged);
    onMove(Number(dragged.dataset.card), Number(cell.dataset.stage), Number(cell.dataset.lane), index);
    finish();
  });

  grid.addEventListener("dragend", finish);

  function highlight(cell) {
    for (const other of grid.querySelectorAll(".cell.drop-target")) if (other !== cell) other.classList.remove("drop-target");
    cell.classList.add("drop-target");
  }

  function finish() {
    dragged?.classList.remove("dragging");
    dragged = null;
    for (const cell of grid.querySelectorAll(".cell.drop-target")) cell.classList.remove("drop-target");
  }
}

function dropIndex(cell, y, dragged) {
  const cards = [...cell.querySelectorAll(".card")].filter((card) => card !== dragged && !card.hidden);
  const below = cards.findIndex((card) => {
    const box = card.getBoundingClientRect();
    return box.top + box.height / 2 > y;
  });
  return below === -1 ? cards.length : below;
}
