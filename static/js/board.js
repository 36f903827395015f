// The live board: wires the store, the view and the socket together, and turns what people do
// (click, type, drag, keys) into operations of docs/realtime.md.
//
// The store holds only what the server confirmed. A change shows at once in the page
// (optimistic), and the event that confirms it redraws from the store; a refusal redraws from
// the store too and says why, so the page never keeps a change the server did not accept.

import { Store, cellKey } from "./store.js";
import { snippet } from "./dom.js";
import { BoardView } from "./render.js";
import { LiveSocket, socketUrl } from "./socket.js";
import { openTextEditor } from "./edit.js";
import { installKeyboard } from "./keyboard.js";
import { installDrag } from "./drag.js";
import { installControls } from "./controls.js";
import { installHistory } from "./history.js";
import { installEvidence } from "./evidence.js";
import { installVoting } from "./voting.js";
import { installFocusLink } from "./focus-link.js";
import { installRoving } from "./roving.js";
import { installLayout } from "./board-layout.js";
import { installLiveNews } from "./live-news.js";
import { installComments } from "./comments.js";
import { installCardLinks } from "./card-links.js";

const root = document.getElementById("board-app");
const store = new Store(JSON.parse(document.getElementById("board-data").textContent));
const view = new BoardView(root, store, { canEdit: root.dataset.canEdit === "true" });
const voting = installVoting({ root, store, view, send, toast, announce });
const CARD_TEXT_MAX = 2000;
const TITLE_MAX = 200;

let you = { id: Number(root.dataset.userId) }; // the snapshot says more
let editingCard = null; // the card this user is editing, told to the others as presence
const ahead = new Map(); // events received out of order, by revision
let syncing = false;
let fetching = false; // the board is on its way over HTTP (too large for a frame): events wait
const ops = new Map(); // operation id -> {label, onAck, onError, onConflict}
const opPrefix = Math.random().toString(36).slice(2, 8);
let opCounter = 0;

// --- messages from the server ---------------------------------------------------------------

const socket = new LiveSocket(socketUrl(root.dataset.mapId), {
  onOpen() {
    syncing = false;
    requestSync();
    if (editingCard) socket.sendRaw({ type: "editing", card: editingCard });
  },
  onMessage: receive,
  onStatus: showStatus,
});

function receive(message) {
  const handler = {
    snapshot: applySnapshot,
    event: (m) => queueEvents([m]),
    // Events coalesced live (`live`), or the answer to a sync (in parts while `more`).
    events: (m) => { if (!m.live) syncing = Boolean(m.more); queueEvents(m.events); },
    catch_up: () => { syncing = false; requestSync(); },
    ack: applyAck,
    error: applyError,
    presence: (m) => { view.renderPresence(m.users, you.id); session.onPresence(m.users); },
    position: (m) => session.onPosition(m),
    map_deleted: mapDeleted,
    access_ended: accessEnded,
    access_changed: accessChanged,
    socket_limit: socketLimit,
  }[message.type];
  handler?.(message);
}

function applySnapshot(message) {
  you = message.you;
  syncing = false;
  if (!message.board) {
    // Too large for a frame: the same board comes over HTTP. Nothing to fetch when the page
    // already holds this revision (it came with the page).
    if (message.revision !== store.revision) return fetchBoard(message.board_url, message);
    message = { ...message, board: { controls: store.map.controls } };
  } else if (message.revision !== store.revision) {
    store.load({ ...message.board, revision: message.revision });
    view.renderAll();
    evidence.afterEvent(null);
  }
  voting.refresh();
  comments.afterSnapshot();
  cardLinks.afterSnapshot();
  session.onSnapshot(message);
  historyPanel.onSnapshot();
  dropStale();
  drain();
}

function queueEvents(events) {
  for (const event of events) if (event.revision > store.revision) ahead.set(event.revision, event);
  drain();
}

// Apply events strictly in revision order; a gap means something was missed: ask for it.
function drain() {
  if (fetching) return;
  while (ahead.has(store.revision + 1)) {
    const event = ahead.get(store.revision + 1);
    ahead.delete(event.revision);
    // Too large for a frame (a restore of a big board): the board after it comes over HTTP.
    if (event.board_url) return fetchBoard(event.board_url);
    applyEvent(event);
  }
  dropStale();
  if (ahead.size) requestSync();
}

// The whole board, as the snapshot would have carried it: `snapshot` (without its board) says
// who we are and the server's time, kept right for the time the fetch took.
async function fetchBoard(url, snapshot = null) {
  fetching = true;
  const started = Date.now();
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const board = await response.json();
    fetching = false;
    const now = snapshot && new Date(Date.parse(snapshot.now) + Date.now() - started).toISOString();
    applySnapshot({ ...(snapshot || { you }), type: "snapshot", now, revision: board.revision, board });
  } catch (error) {
    fetching = false;
    toast(`Could not load the board (${error.message}); trying again.`, "error");
    setTimeout(() => fetchBoard(url, snapshot), 3000);
  }
}

function requestSync() {
  if (syncing || !socket.isOpen) return;
  syncing = true;
  socket.sendRaw({ type: "sync", since: store.revision });
}

function applyEvent(event) {
  const changes = store.apply(event);
  if (changes.axes) view.renderAll();
  for (const key of changes.cells || []) view.renderCell(key);
  for (const id of changes.cards || []) view.renderCard(id);
  for (const id of changes.deleted || []) view.removeCard(id);
  view.renderCurve();
  view.renderMap();
  evidence.afterEvent(event, changes);
  comments.afterEvent(event);
  cardLinks.afterEvent(event);
  voting.refresh(changes, event);
  session.onEvent(event);
  historyPanel.onEvent(event);
  news.onEvent(event);
  if (event.op) settlePendingCreate(event);
}

function dropStale() {
  for (const revision of [...ahead.keys()]) if (revision <= store.revision) ahead.delete(revision);
  for (const pending of root.querySelectorAll(".card.pending-create[data-acked]")) {
    if (Number(pending.dataset.acked) <= store.revision) pending.remove();
  }
}

// The card this page created has arrived from the server: the placeholder gives way to it.
function settlePendingCreate(event) {
  const pending = root.querySelector(`.card.pending-create[data-op="${CSS.escape(event.op)}"]`);
  if (!pending) return;
  const hadFocus = pending.contains(document.activeElement) || document.activeElement === document.body;
  pending.remove();
  if (hadFocus && event.event === "card.created") view.cardEl(event.payload.card.id)?.focus();
}

function applyAck(message) {
  const op = ops.get(message.id);
  ops.delete(message.id);
  op?.onAck?.(message.revision);
  const pending = root.querySelector(`.card.pending-create[data-op="${CSS.escape(message.id)}"]`);
  if (pending) pending.dataset.acked = message.revision;
  dropStale();
}

function applyError(message) {
  if (message.code === "rate_limited") return retryLater(message.retry_after);
  const op = ops.get(message.id);
  ops.delete(message.id);
  if (message.code === "conflict" && op?.onConflict) return op.onConflict(message);
  op?.onError?.(message);
  if (op?.quiet) return; // it says why itself (undo and redo: history.js)
  const what = op ? `Not saved: could not ${op.label}.` : "The server refused a message.";
  toast(`${what} ${message.message || ""}`, "error");
}

// A sync or an editing notice came too fast (socket.js resends operations itself): again later.
function retryLater(seconds) {
  syncing = false;
  setTimeout(() => {
    requestSync();
    socket.sendRaw({ type: "editing", card: editingCard });
  }, Math.max(100, (seconds || 0) * 1000));
}

function mapDeleted() {
  socket.stop();
  showStatus({ state: "gone", unsaved: 0 });
  toast("This map has been deleted. Nothing more can be changed here.", "error");
}

// Removed from the workshop, or a guest whose link ended: the server closes the socket for good.
function accessEnded(message) {
  socket.stop();
  showStatus({ state: "no-access", unsaved: 0 });
  toast(message.message, "error");
}

// This user has the board open in too many tabs: this one stays as it is, without live updates.
function socketLimit(message) {
  socket.stop();
  showStatus({ state: "too-many", unsaved: 0 });
  toast(message.message, "error");
}

// The facilitator changed this person's role: the server already checks every operation by it.
function accessChanged(message) {
  you = { ...you, role: message.role };
  view.canEdit = message.role !== "viewer";
  view.renderAll();
  toast(`Your role here is now ${message.role}. Reload the page for the tools of that role.`);
}

// --- status, announcements, messages ---------------------------------------------------------

function showStatus({ state, unsaved }) {
  const status = root.querySelector("#conn-status");
  const plural = unsaved === 1 ? "change" : "changes";
  let text = "Live";
  if (state === "gone") text = "Map deleted";
  else if (state === "no-access") text = "No access";
  else if (state === "too-many") text = "Open in too many tabs";
  else if (state !== "live") text = unsaved ? `Offline — ${unsaved} ${plural} not saved · reconnecting…` : "Reconnecting…";
  status.dataset.state = state === "live" ? "live" : unsaved ? "offline" : "reconnecting";
  status.textContent = text;
  root.classList.toggle("is-offline", state !== "live");
}

function announce(text) {
  const region = root.querySelector("#announcer");
  region.textContent = "";
  // A fresh text node, a moment later, so screen readers read a repeated message again.
  setTimeout(() => { region.textContent = text; }, 30);
}

function toast(text, kind = "info") {
  const box = document.createElement("div");
  box.className = `toast ${kind}`;
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  const close = document.createElement("button");
  close.type = "button";
  close.className = "icon-btn";
  close.textContent = "✕";
  close.setAttribute("aria-label", "Dismiss message");
  close.addEventListener("click", () => box.remove());
  box.append(document.createTextNode(text), close);
  root.querySelector("#toasts").append(box);
  // Errors stay until dismissed: they may carry text that exists nowhere else any more.
  if (kind !== "error") setTimeout(() => box.remove(), 6000);
}

// --- operations --------------------------------------------------------------------------

function send(type, data, handlers) {
  const id = `${opPrefix}-${++opCounter}`;
  ops.set(id, handlers);
  socket.send({ type, id, data });
  return id;
}

// A text edit refused because someone else changed the same field: show both, let the user
// choose. Keeping theirs needs nothing sent; keeping mine resends on top of their revision.
const conflicts = [];
function resolveConflict({ current, mine, resend }) {
  return (message) => {
    conflicts.push({ theirs: message.current ?? current, mine, keepMine: () => resend(message.revision) });
    if (conflicts.length === 1) showConflict();
  };
}

function showConflict() {
  const dialog = root.querySelector("#conflict-dialog");
  const { theirs, mine, keepMine } = conflicts[0];
  dialog.querySelector("#conflict-theirs").textContent = theirs || "(empty)";
  dialog.querySelector("#conflict-mine").textContent = mine || "(empty)";
  dialog.onclick = (event) => {
    const choice = event.target.closest("[data-choice]")?.dataset.choice;
    if (!choice) return;
    dialog.close();
    if (choice === "mine") keepMine();
    else announce("Kept their text.");
    conflicts.shift();
    if (conflicts.length) showConflict();
  };
  // Escape must not throw a choice away: the dialog stays until one is made.
  dialog.oncancel = (event) => event.preventDefault();
  dialog.showModal();
}

const actions = {
  announce,

  addCard(stage, lane) {
    const cell = view.cellEl(stage, lane);
    if (!cell || cell.querySelector(".card.draft")) return cell?.querySelector(".draft textarea")?.focus();
    draftCard(cell, "");
  },

  editCard(id) {
    const node = view.cards.get(id);
    const card = store.cards.get(id);
    if (!node || !card || node.dataset.editing) return;
    const base = store.revision;
    node.dataset.editing = "true";
    node.draggable = false;
    setEditing(id);
    const text = node.querySelector(".card-text");
    openTextEditor({
      host: node, before: text, value: card.text, multiline: true, maxLength: CARD_TEXT_MAX,
      label: `Edit card text (${snippet(card.text, 30)})`,
      onSave: (value) => { finishEdit(id); if (value !== card.text) saveCardText(id, value, base); node.focus(); },
      onCancel: () => { finishEdit(id); node.focus(); },
    });
    text?.remove();
  },

  deleteCard(id) {
    const node = view.cards.get(id);
    if (!node) return;
    const cell = node.closest(".cell");
    node.hidden = true;
    node.classList.add("pending-delete");
    cell?.focus();
    announce("Card deleted.");
    send("card.delete", { card: id }, { label: "delete the card", onError: () => view.renderCard(id) });
  },

  moveCard(id, stage, lane, index) {
    const card = store.cards.get(id);
    if (!card) return;
    view.placeCard(id, stage, lane, index);
    view.cards.get(id)?.focus();
    const name = view.cellEl(stage, lane)?.dataset.name;
    announce(`Moved card to ${name}, position ${index + 1}.`);
    send("card.move", { card: id, stage, lane, position: index }, {
      label: "move the card",
      onError: () => { view.renderCell(cellKey(card.stage, card.lane)); view.renderCell(cellKey(stage, lane)); },
    });
  },

  restore(from, to) {
    view.renderCell(cellKey(from.stage, from.lane));
    view.renderCell(cellKey(to.stage, to.lane));
  },
};

function finishEdit(id) {
  const node = view.cards.get(id);
  delete node.dataset.editing;
  setEditing(null);
  view.renderCard(id);
}

function setEditing(id) {
  editingCard = id;
  socket.sendRaw({ type: "editing", card: id });
}

function saveCardText(id, text, base) {
  showPendingText(id, text);
  send("card.update", { card: id, text, base_revision: base }, {
    label: "save the card text",
    onError: () => {
      if (!store.cards.has(id)) return toast(`The card was deleted meanwhile. Your text was: “${text}”`, "error");
      view.renderCard(id);
      reopenWith(id, text);
    },
    onConflict: resolveConflict({ mine: text, resend: (revision) => saveCardText(id, text, revision) }),
  });
}

function showPendingText(id, text) {
  const line = view.cards.get(id)?.querySelector(".card-text");
  if (line) { line.textContent = text; line.classList.add("saving"); }
}

// The server refused the text: give it back to its author in an editor rather than lose it.
function reopenWith(id, text) {
  actions.editCard(id);
  const field = view.cards.get(id)?.querySelector(".text-editor");
  if (field) field.value = text;
}

// A new card is typed in a draft in its cell, then sent; it stays as a placeholder until the
// server confirms it, and comes back as a draft, text kept, if refused.
function draftCard(cell, value) {
  const stage = Number(cell.dataset.stage);
  const lane = Number(cell.dataset.lane);
  const list = cell.querySelector(".cell-cards");
  const draft = document.createElement("article");
  draft.className = "card draft";
  list.append(draft);
  cell.classList.remove("empty");
  openTextEditor({
    host: draft, value, multiline: true, maxLength: CARD_TEXT_MAX,
    label: `New card in ${cell.dataset.name}`,
    onSave: (text) => {
      if (!text.trim()) return cancelDraft(draft, cell);
      draft.className = "card pending-create";
      const line = document.createElement("p");
      line.className = "card-text saving";
      line.textContent = text;
      draft.append(line);
      draft.tabIndex = 0;
      draft.dataset.op = send("card.create", { stage, lane, text }, {
        label: "add the card",
        onError: () => { draft.remove(); draftCard(cell, text); },
      });
      announce("Card added.");
      draft.focus();
    },
    onCancel: () => cancelDraft(draft, cell),
  });
}

function cancelDraft(draft, cell) {
  draft.remove();
  cell.classList.toggle("empty", !cell.querySelector(".card"));
  cell.focus();
}

// --- stages, lanes, the map's title --------------------------------------------------------

function renameInPlace(titleEl, { value, label, onSave }) {
  const holder = titleEl.parentElement;
  holder.classList.add("editing");
  titleEl.hidden = true;
  const base = store.revision;
  openTextEditor({
    host: holder, before: titleEl, value, multiline: false, maxLength: TITLE_MAX, label,
    onSave: (text) => {
      holder.classList.remove("editing");
      titleEl.hidden = false;
      if (view.deferred) view.renderAll();
      if (!text.trim()) return toast("A title cannot be empty; kept the old one.", "error");
      if (text !== value) { titleEl.textContent = text; onSave(text, base); }
    },
    onCancel: () => {
      holder.classList.remove("editing");
      titleEl.hidden = false;
      if (view.deferred) view.renderAll();
    },
  });
}

function updateTitle(type, key, id, text, base) {
  const data = { title: text, base_revision: base, ...(key ? { [key]: id } : {}) };
  send(type, data, {
    label: `rename the ${key || "map"}`,
    onError: () => view.renderAll(),
    onConflict: resolveConflict({ mine: text, resend: (revision) => updateTitle(type, key, id, text, revision) }),
  });
}

const axisActions = {
  rename(kind, item, button) {
    const titleEl = button.closest(`.${kind}-head`).querySelector(".axis-title");
    renameInPlace(titleEl, {
      value: item.title, label: `Title of the ${kind} ${item.title}`,
      onSave: (text, base) => updateTitle(`${kind}.update`, kind, item.id, text, base),
    });
  },
  move(kind, item, delta) {
    const list = kind === "stage" ? store.stages : store.lanes;
    const position = list.indexOf(item) + delta;
    send(`${kind}.move`, { [kind]: item.id, position }, { label: `move the ${kind}` });
  },
  delete(kind, item) {
    const count = [...store.cards.values()].filter((c) => c[kind] === item.id).length;
    const warning = count ? ` Its ${count} card${count === 1 ? "" : "s"} will be deleted with it.` : "";
    if (!window.confirm(`Delete the ${kind} “${item.title}”?${warning}`)) return;
    send(`${kind}.delete`, { [kind]: item.id }, { label: `delete the ${kind}` });
  },
};

function onClick(event) {
  const button = event.target.closest("button[data-action]");
  if (!button || !root.contains(button)) return;
  const action = button.dataset.action;
  const cardId = Number(button.closest(".card")?.dataset.card);
  if (action === "add-card") {
    const cell = button.closest(".cell");
    return actions.addCard(Number(cell.dataset.stage), Number(cell.dataset.lane));
  }
  if (action === "card-edit") return actions.editCard(cardId);
  if (action === "card-delete") return actions.deleteCard(cardId);
  if (action === "rename-map") {
    return renameInPlace(root.querySelector("#map-title"), {
      value: store.map.title, label: "Title of the map",
      onSave: (text, base) => updateTitle("map.update", null, null, text, base),
    });
  }
  const [kind, verb] = action.split("-");
  const item = kind === "stage" ? store.stage(Number(button.dataset.id)) : store.lane(Number(button.dataset.id));
  if (!item) return;
  if (verb === "rename") axisActions.rename(kind, item, button);
  else if (verb === "delete") axisActions.delete(kind, item);
  else axisActions.move(kind, item, verb === "left" || verb === "up" ? -1 : 1);
}

function onChange(event) {
  const select = event.target.closest("select[data-field]");
  if (!select) return;
  const id = Number(select.closest(".card").dataset.card);
  const field = select.dataset.field;
  const value = select.value === "" ? null : Number(select.value);
  select.dataset[field === "severity" ? "severity" : "score"] = select.value;
  send("card.update", { card: id, [field]: value }, {
    label: `set the ${field === "severity" ? "severity" : "emotion score"}`,
    onError: () => view.renderCard(id),
  });
}

// A double click edits a card, or adds one to an empty spot of a cell.
function onDoubleClick(event) {
  if (!view.canEdit || event.target.closest("button, select, .text-editor, .card.draft, .pending-create")) return;
  const card = event.target.closest(".card[data-card]");
  if (card) return actions.editCard(Number(card.dataset.card));
  const cell = event.target.closest(".cell");
  if (cell) actions.addCard(Number(cell.dataset.stage), Number(cell.dataset.lane));
}

// The blank map's "Add the first stage / lane": its field in the tools bar, unfolded if need be.
function onStartButton(event) {
  const kind = event.target.closest("[data-start]")?.dataset.start;
  if (!kind) return;
  if (root.querySelector("#board-tools")?.hidden) root.querySelector('[data-view="tools"]')?.click();
  root.querySelector(`#new-${kind}-title`)?.focus();
}

function onAddAxis(kind) {
  return (event) => {
    event.preventDefault();
    const form = event.target;
    const title = form.elements.title.value.trim();
    if (!title) return toast(`Give the new ${kind} a title.`, "error");
    const data = { title, ...(kind === "lane" ? { kind: form.elements.kind.value } : {}) };
    send(`${kind}.create`, data, { label: `add the ${kind}`, onError: () => { form.elements.title.value = title; } });
    form.reset();
  };
}

// --- start ----------------------------------------------------------------------------------

view.renderAll();
voting.refresh({});
const evidence = installEvidence({ root, store, view, announce, toast });
const comments = installComments({ root, store, view, panel: evidence.panel, send, toast, announce });
const cardLinks = installCardLinks({ root, store, view, panel: evidence.panel, toast, announce });
root.classList.add("js-ready");
installFocusLink(view, { announce }); // #card-12: the search's results open the board there
root.addEventListener("click", onClick);
if (view.canEdit) {
  root.addEventListener("change", onChange);
  view.grid.addEventListener("dblclick", onDoubleClick);
  root.querySelector("#add-stage-form")?.addEventListener("submit", onAddAxis("stage"));
  root.querySelector("#add-lane-form")?.addEventListener("submit", onAddAxis("lane"));
  root.querySelector("#board-start")?.addEventListener("click", onStartButton);
  installDrag(view, { onMove: actions.moveCard });
}
installKeyboard(view, actions);
const roving = installRoving(view.grid);
root.querySelector(".skip-to-map")?.addEventListener("click", (event) => { event.preventDefault(); roving.focus(); });
installLayout({ root, announce });
const news = installLiveNews({ store, announce, youId: () => you.id });
// After the editing listeners: a board locked at load must still edit once unlocked.
const session = installControls({ root, store, view, socket, send, toast, announce });
const historyPanel = installHistory({ root, store, send });
showStatus({ state: "connecting", unsaved: 0 });
root.querySelector("#conn-status").textContent = "Connecting…";
socket.connect();
window.addEventListener("beforeunload", (event) => {
  if (socket.unanswered.size) event.preventDefault(); // unsaved changes: let the browser ask
});
