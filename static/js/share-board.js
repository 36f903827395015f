// A shared map, read-only (templates/documents/share.html): the board drawn by the live
// board's own view from the page's JSON, redrawn when share-live.js brings a newer one, the
// keyboard's arrows to move around it, and the stage-by-stage walkthrough, which follows the
// facilitator's presentation when the link says so. No socket, no presence, no API.

import { Store } from "./store.js";
import { BoardView } from "./render.js";
import { installKeyboard } from "./keyboard.js";
import { SharePresenter } from "./share-present.js";
import { keepLive } from "./share-live.js";
import { el } from "./dom.js";

const root = document.getElementById("board-app");
const board = JSON.parse(document.getElementById("share-board").textContent);
const pieces = JSON.parse(document.getElementById("share-evidence").textContent);
const withEvidence = "evidence" in board;
const store = new Store(board);
const view = new BoardView(root, store, { canEdit: false });
const presenter = new SharePresenter({ root, store, pieces, withEvidence });

function announce(text) {
  const region = root.querySelector("#announcer");
  region.textContent = "";
  setTimeout(() => { region.textContent = text; }, 30); // read again when repeated
}

// The evidence marks open the evidence panel on the live board; here, the walkthrough at
// their stage, which shows the stage's evidence. Their names say so.
function relabelEvidenceMarks() {
  for (const mark of root.querySelectorAll(".evidence-coverage, .evidence-mark")) {
    const label = mark.getAttribute("aria-label") || "";
    mark.setAttribute("aria-label", label.replace("Open the evidence panel.", "Show it in the walkthrough."));
    mark.title = "Show in the walkthrough";
  }
}

function stageOf(target) {
  const stage = target.closest("[data-evidence-stage]")?.dataset.evidenceStage;
  if (stage) return Number(stage);
  const card = target.closest("[data-evidence-card]")?.dataset.evidenceCard;
  return card ? store.cards.get(Number(card))?.stage : null;
}

function onClick(event) {
  if (event.target.closest('[data-control="present"]')) return presenter.begin();
  const stage = withEvidence ? stageOf(event.target) : null;
  if (stage != null) presenter.open(stage, true);
}

function drawBoard() {
  view.renderAll();
  relabelEvidenceMarks();
  root.querySelector("#revision").textContent = store.revision;
}

function onBoard(newer, newerPieces) {
  store.load(newer);
  presenter.pieces = newerPieces;
  drawBoard();
  presenter.boardChanged();
  presenter.follow(store.map.controls?.present ?? null);
}

const STATUS = { live: "Kept up to date", behind: "Not up to date: trying again" };

function onStatus(state) {
  const status = root.querySelector("#share-live");
  if (status.textContent !== STATUS[state]) status.textContent = STATUS[state]; // said once
}

// Revoked or expired while open: the page stops showing the map, as the link does.
function onEnded() {
  presenter.close();
  document.title = "Journey maps";
  document.getElementById("main").replaceChildren(el("section", { class: "page share-ended" },
    el("h1", { text: "This link no longer works" }),
    el("p", { text: "It was revoked or it expired, so the map is no longer shown here." })));
}

drawBoard();
onStatus("live");
root.classList.add("js-ready");
root.addEventListener("click", onClick);
installKeyboard(view, { announce });
presenter.follow(store.map.controls?.present ?? null);
keepLive({ url: root.dataset.boardUrl, store, onBoard, onStatus, onEnded });
