// The map's history in a side panel (who changed what, and when, filterable by person; the
// session's own events, timer, lock, present and follow, left out unless asked for) and
// undo / redo of one's own changes: the Undo and Redo buttons, Ctrl+Z and Ctrl+Shift+Z (Cmd on
// a Mac) when not typing. The server decides what an undo may do (workshops/services/undo.py): a refusal
// comes back with its message, shown in the history status line next to the buttons.

const PAGE = 30;
// With session events left out, pages are read until PAGE changes show, up to this many reads
// at a time: a long presentation leaves hundreds of slide moves between two map changes.
const MAX_READS = 10;
const SNIPPET = 40;
const KINDS = {
  metric: "a metric", survey: "a survey answer", quote: "a quote",
  recording: "a session recording", image: "a picture",
};

export function installHistory({ root, store, send }) {
  const panel = root.querySelector("#history-panel");
  const status = root.querySelector("#history-status");
  if (!panel) return { onEvent() {}, onSnapshot() {} };
  const list = panel.querySelector("#history-list");
  const person = panel.querySelector("#history-person");
  const kinds = kindsFilter(panel);
  const older = panel.querySelector("[data-history=older]");
  const toggle = root.querySelector("[data-history=toggle]");
  // `reloads` counts the list's fresh starts: a read begun before one (a snapshot that came in
  // while the panel was opening) must not add its page to the new list, which reads its own.
  const state = { loaded: false, oldest: null, seen: new Set(), mine: new Set(), reloads: 0 };

  function say(text, kind = "info") {
    status.textContent = text;
    status.dataset.kind = kind;
  }

  // --- undo and redo

  function step(kind) {
    const id = send(kind, {}, {
      label: kind, quiet: true,
      onError: (message) => say(message.message, "error"),
    });
    state.mine.add(id);
    say(kind === "undo" ? "Undoing…" : "Redoing…");
  }

  function isTyping(target) {
    const field = "input, textarea, select, [contenteditable]:not([contenteditable=false])";
    return target.closest?.(field);
  }

  function onKey(event) {
    const key = event.key.toLowerCase();
    if (!(event.ctrlKey || event.metaKey) || event.altKey || isTyping(event.target)) return;
    if (key === "z") step(event.shiftKey ? "redo" : "undo");
    else if (key === "y" && !event.shiftKey) step("redo");
    else return;
    event.preventDefault();
  }

  // --- the panel

  function open(show) {
    panel.hidden = !show;
    toggle.setAttribute("aria-expanded", String(show));
    if (show && !state.loaded) reload();
    (show ? panel.querySelector("h2") : toggle).focus();
  }

  function reload() {
    list.replaceChildren();
    Object.assign(state, { loaded: true, oldest: store.revision + 1, seen: new Set(), reloads: state.reloads + 1 });
    loadOlder();
  }

  const shown = (event) => event.event !== "hidden"
    && (kinds.value === "all" || !isSessionEvent(event));

  async function loadOlder() {
    older.disabled = true;
    const asked = `${person.value} ${kinds.value} ${state.reloads}`;
    try {
      let added = 0;
      for (let reads = 0; reads < MAX_READS && added < PAGE; reads += 1) {
        const page = await readPage();
        if (asked !== `${person.value} ${kinds.value} ${state.reloads}`) return; // read again meanwhile
        const items = page.events.filter(shown).map(item);
        list.append(...items);
        added += items.length;
        if (page.events.length) state.oldest = page.events.at(-1).revision;
        older.hidden = !page.more;
        if (!page.more) break;
      }
      showEmpty();
    } catch (error) {
      say(`Could not load the history: ${error.message}.`, "error");
    } finally {
      older.disabled = false;
    }
  }

  async function readPage() {
    const query = new URLSearchParams({ before: state.oldest, limit: PAGE });
    if (person.value) query.set("actor", person.value);
    const response = await getJson(`/api/maps/${store.map.id}/events/?${query}`);
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    return response.json();
  }

  function showEmpty() {
    panel.querySelector(".history-empty").hidden = list.children.length > 0;
  }

  async function loadPeople() {
    const response = await getJson(`/api/workshops/${store.map.workshop}/members/`);
    if (!response.ok) return;
    for (const member of await response.json()) {
      const option = document.createElement("option");
      option.value = member.user;
      option.textContent = member.name;
      person.append(option);
    }
  }

  // --- one change in words

  function item(event) {
    state.seen.add(event.revision);
    const li = document.createElement("li");
    li.className = "history-item";
    li.classList.toggle("is-undo", Boolean(event.payload?.undo));
    const text = document.createElement("span");
    text.className = "history-text";
    text.textContent = describe(event, store);
    const when = document.createElement("time");
    when.dateTime = event.at;
    when.title = new Date(event.at).toLocaleString();
    when.textContent = ago(event.at);
    li.append(text, " ", when);
    return li;
  }

  function refreshTimes() {
    for (const time of list.querySelectorAll("time")) time.textContent = ago(time.dateTime);
  }

  // --- live events, from board.js

  function onEvent(event) {
    if (state.mine.has(event.op)) {
      state.mine.delete(event.op);
      say(describe(event, store));
    }
    const wanted = !person.value || String(event.actor?.id) === person.value;
    const known = state.seen.has(event.revision);
    if (!state.loaded || !shown(event) || !wanted || known) return;
    list.prepend(item(event));
    showEmpty();
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-history]");
    if (!button) return;
    const action = button.dataset.history;
    if (action === "toggle") open(panel.hidden);
    else if (action === "close") open(false);
    else if (action === "older") loadOlder();
    else step(action);
  });
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") open(false); });
  person.addEventListener("change", reload);
  kinds.addEventListener("change", reload);
  if (root.dataset.canEdit === "true") document.addEventListener("keydown", onKey);
  setInterval(refreshTimes, 30_000);
  loadPeople();
  // A fresh snapshot after a long time away: the changes missed are not events, so read again.
  function onSnapshot() {
    if (state.loaded) reload();
  }

  return { onEvent, onSnapshot };
}

// The session's own events: the facilitator running the room, not a change of the map.
const SESSION_EVENTS = /^(timer|present|follow)\.|^board\.(locked|unlocked)$/;

export function isSessionEvent(event) {
  return SESSION_EVENTS.test(event.event);
}

// The filter that brings the session's events back, built here beside the person filter: the
// panel's frame belongs to the board page, its controls to this module.
function kindsFilter(panel) {
  const select = document.createElement("select");
  select.id = "history-kinds";
  select.title = "Session events: the timer, locking the board, presenting, following";
  select.append(new Option("Changes to the map", "content", true, true),
    new Option("Changes and session events", "all"));
  const label = document.createElement("label");
  label.className = "history-filter";
  label.append("Show", select);
  panel.querySelector(".history-filter").after(label);
  return select;
}

function getJson(url) {
  return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
}

// --- words ----------------------------------------------------------------------------------

export function describe(event, store) {
  const who = event.actor?.name || (event.event === "evidence.pruned" ? "The retention prune" : "Someone");
  const undo = event.payload?.undo;
  const words = PHRASES[undo ? undo.event : event.event] || generic;
  const phrase = words(event.payload || {}, store, event);
  if (!undo) return `${who} ${phrase}`;
  return `${who} ${undo.kind === "undo" ? "undid" : "redid"}: ${phrase}`;
}

const quote = (text) => {
  const flat = (text || "").split(/\s+/).join(" ").trim();
  return `“${flat.length > SNIPPET ? `${flat.slice(0, SNIPPET - 1)}…` : flat}”`;
};

function cellName(store, stageId, laneId) {
  const stage = store.stage(stageId)?.title || "a deleted stage";
  const lane = store.lane(laneId)?.title || "a deleted lane";
  return `${stage} / ${lane}`;
}

function axisTitle(store, kind, item) {
  if (item && typeof item === "object") return quote(item.title);
  const found = kind === "stage" ? store.stage(item) : store.lane(item);
  return found ? quote(found.title) : "";
}

const piece = (payload) => KINDS[payload.evidence?.kind] || "evidence";

function evidencePlace(store, evidence = {}) {
  const card = evidence.card && store.cards.get(evidence.card);
  if (card) return quote(card.text);
  return store.stage(evidence.stage)?.title || "a stage";
}

const generic = (payload, store, event) => `made a change (${event.event.replace(/[._]/g, " ")})`;

const axisPhrases = (kind) => ({
  [`${kind}.created`]: (p, s) => `added the ${kind} ${axisTitle(s, kind, p[kind])}`,
  [`${kind}.updated`]: (p, s) => `changed the ${kind} ${axisTitle(s, kind, p[kind])}`,
  [`${kind}.moved`]: (p, s) => `moved the ${kind} ${axisTitle(s, kind, p[kind])}`,
  [`${kind}.deleted`]: (p, s) => {
    const count = (p.cards || []).length;
    const cards = count ? ` and its ${count} card${count === 1 ? "" : "s"}` : "";
    return `deleted the ${kind} ${axisTitle(s, kind, p[kind])}${cards}`;
  },
});

const PHRASES = {
  "map.created": () => "created the map",
  "map.restored": (p) => `restored the version ${quote(p.version?.name)}`,
  "map.reviewed": () => "marked the map reviewed",
  "map.archived": () => "archived the map",
  "map.unarchived": () => "brought the map back from the archive",
  "timer.started": () => "started the timer",
  "timer.paused": () => "paused the timer",
  "timer.reset": () => "reset the timer",
  "board.locked": () => "locked the board",
  "board.unlocked": () => "unlocked the board",
  "present.started": () => "started presenting",
  "present.moved": (p, s) =>
    `moved the presentation to ${quote(s.stage(p.present?.stage)?.title || "another stage")}`,
  "present.stopped": () => "stopped presenting",
  "follow.started": () => "asked everyone to follow",
  "follow.stopped": () => "stopped leading",
  "map.updated": (p) => `changed the map ${quote(p.map?.title)}`,
  "card.created": (p, s) =>
    `added ${quote(p.card?.text)} to ${cellName(s, p.card?.stage, p.card?.lane)}`,
  "card.updated": (p) => `edited ${quote(p.card?.text)}`,
  "card.moved": (p, s) => `moved ${quote(p.card?.text)} to ${cellName(s, p.to?.stage, p.to?.lane)}`,
  "card.deleted": (p) => `deleted ${quote(p.card?.text)}`,
  ...axisPhrases("stage"),
  ...axisPhrases("lane"),
  "evidence.created": (p, s) => `added ${piece(p)} to ${evidencePlace(s, p.evidence)}`,
  "evidence.updated": (p, s) => `changed ${piece(p)} on ${evidencePlace(s, p.evidence)}`,
  "evidence.deleted": (p, s) => `removed ${piece(p)} from ${evidencePlace(s, p.evidence)}`,
  "evidence.imported": (p) =>
    `imported ${p.count} ${p.kind === "metric" ? "metrics" : "survey answers"}`,
  "evidence.masking_set": (p) =>
    `turned ${p.mask_personal_data ? "on" : "off"} the masking of personal data in evidence text`,
  "evidence.pruned": (p) =>
    `deleted ${p.count} ${p.count === 1 ? "piece" : "pieces"} of evidence collected before ${p.collected_before}`,
  // Comments (comments.js): on a card or a stage, as evidence is.
  "comment.created": (p, s) => `commented ${quote(p.comment?.text)} on ${evidencePlace(s, p.comment)}`,
  "comment.updated": (p, s) => `edited a comment on ${evidencePlace(s, p.comment)}`,
  "comment.resolved": (p, s) => `resolved a comment on ${evidencePlace(s, p.comment)}`,
  "comment.reopened": (p, s) => `reopened a comment on ${evidencePlace(s, p.comment)}`,
  "comment.deleted": (p, s) => `deleted a comment on ${evidencePlace(s, p.comment)}`,
  // Links and opportunities as work (card-links.js).
  "link.created": (p, s) =>
    `linked ${quote(s.cards.get(p.link?.opportunity)?.text)} to ${quote(s.cards.get(p.link?.pain_point)?.text)}`,
  "link.deleted": (p, s) =>
    `unlinked ${quote(s.cards.get(p.link?.opportunity)?.text)} from ${quote(s.cards.get(p.link?.pain_point)?.text)}`,
  "opportunity.updated": (p, s) =>
    `changed the work of ${quote(s.cards.get(p.opportunity?.card)?.text)} (${p.opportunity?.status_label})`,
};

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export function ago(at, now = Date.now()) {
  const seconds = Math.round((new Date(at).getTime() - now) / 1000);
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of [["day", 86400], ["hour", 3600], ["minute", 60]]) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, "second");
}
