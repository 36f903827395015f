// The facilitator's session controls on the board: countdown timer, lock, follow me, present.
// Their state is map.controls (docs/realtime.md): it arrives in the snapshot and changes by
// events, like everything else on the board. Facilitators get the buttons; everyone sees the
// timer, the lock banner, and follows when asked.

import { Presenter } from "./present.js";

const TICK_MS = 250;
// "Time's up" shows this long, then the timer leaves the board (as the server sends it to a board
// opened later: TIME_UP_SHOWN_SECONDS in workshops/services/facilitation.py).
const TIME_UP_SHOWN_SECONDS = 8;
const POSITION_EVERY_MS = 250; // a few positions a second is smooth enough to follow
const CONTROL_EVENTS = {
  "board.locked": "locked", "board.unlocked": "locked", "timer.started": "timer",
  "timer.paused": "timer", "timer.reset": "timer", "follow.started": "follow",
  "follow.stopped": "follow", "present.started": "present", "present.moved": "present",
  "present.stopped": "present",
};

export function formatSeconds(seconds) {
  const whole = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

// "5" is five minutes, "1:30" a minute and a half, "1:00:00" an hour; null if unreadable.
export function parseDuration(text) {
  const parts = text.trim().split(":");
  if (!parts.every((p) => /^\d+$/.test(p)) || parts.length > 3) return null;
  const numbers = parts.map(Number);
  if (numbers.length === 1) return numbers[0] * 60;
  return numbers.reduce((total, n) => total * 60 + n, 0);
}

// As drawn on the screen, the grid's zoom included (offsetWidth would leave it out).
const drawnSize = (node, side) => node?.getBoundingClientRect()[side] || 0;

export function installControls({ root, store, view, socket, send, toast, announce }) {
  const session = new Session({ root, store, view, socket, send, toast, announce });
  session.start();
  return session;
}

class Session {
  constructor(context) {
    Object.assign(this, context);
    this.isFacilitator = this.root.dataset.role === "facilitator";
    this.canEditByRole = this.view.canEdit;
    // The facilitator's buttons are in the map's tools, a participant's in the session bar.
    this.box = this.root;
    this.offset = 0; // server clock minus ours, in ms
    this.optedOut = false; // a participant who stepped out of following
    this.lastPosition = null;
    this.presenter = new Presenter({ root: this.root, store: this.store, send: this.send,
      isFacilitator: this.isFacilitator, onLeave: () => this.render(), onDrawn: () => this.paintTimer() });
  }

  get controls() { return this.store.map.controls || {}; }

  start() {
    this.box.addEventListener("click", (event) => {
      if (event.target.closest("button[data-control]")) this.onClick(event);
    });
    this.root.querySelector("#timer-form")?.addEventListener("submit", (event) => this.onTimerSubmit(event));
    this.root.querySelector(".board-scroll").addEventListener("scroll", () => this.viewMoved(), { passive: true });
    this.render();
  }

  // --- from the server ---------------------------------------------------------------------

  onSnapshot(message) {
    this.store.map.controls = message.board.controls || {};
    if (message.now) this.offset = Date.parse(message.now) - Date.now();
    this.render();
  }

  onEvent(event) {
    const key = CONTROL_EVENTS[event.event];
    if (event.event.startsWith("evidence.")) this.presenter.evidenceChanged();
    if (!key) return this.presenter.boardChanged();
    this.noteServerTime(event.payload.now);
    const controls = { ...this.controls, [key]: event.payload[key] };
    if (controls[key] == null) delete controls[key];
    this.store.map.controls = controls;
    if (event.event === "follow.started") this.optedOut = false;
    if (event.event === "present.started") this.presenter.rejoin();
    this.render();
    this.announceChange(event);
  }

  // A live event's `now` is the server's clock as it was sent; one from catch-up is older,
  // so it reads as a smaller offset: the largest seen since the snapshot is the best guess.
  noteServerTime(now) {
    if (!now) return;
    this.offset = Math.max(this.offset, Date.parse(now) - Date.now());
  }

  onPosition(message) {
    this.lastPosition = message;
    if (this.following) this.scrollTo(message);
  }

  onPresence(users) {
    // A newcomer has not seen where we are: tell them.
    if (this.isFacilitator && this.controls.follow) this.sendPosition(true);
    // The avatars are drawn by render.js in the order of `users`.
    this.root.querySelectorAll("#presence .avatar").forEach((avatar, i) => {
      if (users[i]?.role !== "facilitator") return;
      avatar.classList.add("facilitator");
      avatar.title = `${users[i].name} (facilitator)`;
      avatar.setAttribute("aria-label", avatar.getAttribute("aria-label").replace(users[i].name, `${users[i].name}, facilitator`));
    });
  }

  announceChange(event) {
    const who = event.actor?.name || "The facilitator";
    const text = {
      "board.locked": `${who} locked the board.`, "board.unlocked": `${who} unlocked the board.`,
      "timer.started": `${who} started the timer.`, "timer.paused": `${who} paused the timer.`,
      "follow.started": `${who} asks everyone to follow.`, "present.started": `${who} is presenting.`,
      "present.stopped": "The presentation has ended.",
    }[event.event];
    if (text) this.announce(text);
  }

  // --- drawing -----------------------------------------------------------------------------

  render() {
    this.renderLock();
    this.renderTimer();
    this.renderFollow();
    this.presenter.sync(this.controls.present);
    this.renderPresentButtons();
  }

  renderLock() {
    const locked = Boolean(this.controls.locked);
    const readOnly = locked && !this.isFacilitator;
    this.root.classList.toggle("board-locked", locked);
    this.root.querySelector("#lock-banner").hidden = !locked;
    this.root.querySelector("#lock-banner-text").textContent = this.isFacilitator
      ? "Board locked: only facilitators can change it." : "Board locked by the facilitator";
    this.pressed("lock", locked, locked ? "Unlock board" : "Lock board");
    for (const form of this.root.querySelectorAll("#add-stage-form, #add-lane-form")) {
      for (const field of form.elements) field.disabled = readOnly;
    }
    const canEdit = this.canEditByRole && !readOnly;
    if (this.view.canEdit !== canEdit) {
      this.view.canEdit = canEdit;
      this.view.renderAll();
    }
  }

  pressed(control, on, label) {
    const button = this.box.querySelector(`[data-control="${control}"]`);
    if (!button) return;
    button.setAttribute("aria-pressed", String(on));
    button.textContent = label;
  }

  // --- timer -------------------------------------------------------------------------------

  remaining() {
    const timer = this.controls.timer;
    if (!timer) return null;
    if (!timer.ends_at) return timer.remaining;
    return Math.max(0, (Date.parse(timer.ends_at) - (Date.now() + this.offset)) / 1000);
  }

  // Seconds since the timer ran out, by the server's clock; null while it runs or is stopped.
  sinceTimeUp() {
    const endsAt = this.controls.timer?.ends_at;
    if (!endsAt) return null;
    const since = (Date.now() + this.offset - Date.parse(endsAt)) / 1000;
    return since >= 0 ? since : null;
  }

  renderTimer() {
    clearInterval(this.ticker);
    this.clearIfOver();
    const timer = this.controls.timer;
    // Already over when drawn (a board opened at that moment): no fanfare, only the words.
    this.flashed = this.sinceTimeUp() != null ? timer.ends_at : null;
    this.renderTimerButtons();
    this.paintTimer();
    if (timer?.ends_at) this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  tick() {
    if (this.clearIfOver()) {
      clearInterval(this.ticker);
      this.renderTimerButtons();
    }
    this.paintTimer();
    if (this.sinceTimeUp() != null && this.flashed !== this.controls.timer.ends_at) this.timeUp();
  }

  // Time's up has been shown long enough: the timer leaves this board, as it has left everyone's.
  clearIfOver() {
    if (!(this.sinceTimeUp() >= TIME_UP_SHOWN_SECONDS)) return false;
    const { timer, ...rest } = this.controls;
    this.store.map.controls = rest;
    this.root.classList.remove("timer-flash");
    return true;
  }

  // Every timer on the page (the toolbar's, the presentation's) shows the same.
  paintTimer() {
    const timer = this.controls.timer;
    const left = this.remaining();
    const done = Boolean(timer) && left <= 0;
    const paused = Boolean(timer) && !timer.ends_at && !done;
    const text = done ? "Time's up" : `${formatSeconds(left)}${paused ? " (paused)" : ""}`;
    this.root.classList.toggle("timer-done", done);
    for (const node of document.querySelectorAll("[data-timer]")) {
      node.hidden = !timer;
      if (!timer) continue;
      node.dataset.state = done ? "done" : paused ? "paused" : "running";
      node.querySelector(".timer-time").textContent = formatSeconds(left);
      node.querySelector(".timer-note").textContent = done ? "Time's up" : paused ? "paused" : "";
      node.setAttribute("aria-label", `Timer: ${text}`);
    }
  }

  // Seen reaching zero on this board: say so, loudly. (A board opened after the end shows
  // "Time's up" without the fanfare.)
  timeUp() {
    this.flashed = this.controls.timer.ends_at;
    this.root.classList.remove("timer-flash");
    void this.root.offsetWidth; // restart the animation
    this.root.classList.add("timer-flash");
    this.announce("Time's up.");
    this.renderTimerButtons();
  }

  renderTimerButtons() {
    if (!this.isFacilitator) return;
    const timer = this.controls.timer;
    const left = this.remaining();
    const running = Boolean(timer?.ends_at) && left > 0;
    const resumable = Boolean(timer) && !timer.ends_at && left > 0 && left < timer.duration;
    this.button("timer-pause").hidden = !running;
    this.button("timer-resume").hidden = !resumable;
    this.button("timer-reset").disabled = !timer;
  }

  button(control) { return this.box.querySelector(`[data-control="${control}"]`); }

  onTimerSubmit(event) {
    event.preventDefault();
    const field = event.target.elements.duration;
    const seconds = parseDuration(field.value);
    if (!seconds || seconds > 4 * 3600) {
      return this.toast("Give the timer a duration from 0:01 to 240:00 (minutes:seconds), e.g. 5 or 2:30.", "error");
    }
    this.send("timer.start", { duration: seconds }, { label: "start the timer" });
  }

  // --- follow the facilitator ----------------------------------------------------------------

  get following() {
    return Boolean(this.controls.follow) && !this.isFacilitator && !this.optedOut;
  }

  renderFollow() {
    const follow = Boolean(this.controls.follow);
    this.root.classList.toggle("is-following", this.following);
    if (this.isFacilitator) {
      this.pressed("follow", follow, follow ? "Stop leading the view" : "Ask everyone to follow me");
      if (follow) this.sendPosition(true);
      return;
    }
    const toggle = this.button("follow-me");
    toggle.hidden = !follow;
    toggle.setAttribute("aria-pressed", String(this.following));
    toggle.textContent = this.following ? "Stop following" : "Follow the facilitator";
    if (this.following && this.lastPosition) this.scrollTo(this.lastPosition);
  }

  scroller() { return this.root.querySelector(".board-scroll"); }

  // Where the view is: the stage at the left edge and the lane at the top, beside the sticky
  // headers. Ids, not pixels, so that it means the same on every screen size.
  viewPosition() {
    const scroller = this.scroller();
    const box = scroller.getBoundingClientRect();
    const left = box.left + drawnSize(this.root.querySelector(".corner"), "width");
    const top = box.top + drawnSize(this.root.querySelector(".head-row"), "height");
    const stage = [...this.root.querySelectorAll(".stage-head")].find((h) => h.getBoundingClientRect().right > left + 8);
    const lane = [...this.root.querySelectorAll(".lane-head")].find((h) => h.getBoundingClientRect().bottom > top + 8);
    if (!stage) return null;
    return { stage: Number(stage.dataset.stage), lane: lane ? Number(lane.closest(".lane-row").dataset.lane) : null };
  }

  viewMoved() {
    if (this.isFacilitator && this.controls.follow) this.sendPosition(false);
  }

  // At most one position per interval, and always the last one (trailing), so that the others
  // end where the facilitator stopped.
  sendPosition(now) {
    clearTimeout(this.pendingPosition);
    const wait = now ? 0 : Math.max(0, (this.sentAt || 0) + POSITION_EVERY_MS - Date.now());
    this.pendingPosition = setTimeout(() => {
      const position = this.viewPosition();
      if (!position) return;
      this.sentAt = Date.now();
      this.socket.sendRaw({ type: "position", ...position });
    }, wait);
  }

  scrollTo({ stage, lane }) {
    const scroller = this.scroller();
    const head = this.root.querySelector(`.stage-head[data-stage="${stage}"]`);
    if (!head) return;
    const box = scroller.getBoundingClientRect();
    const sticky = drawnSize(this.root.querySelector(".corner"), "width");
    const left = scroller.scrollLeft + head.getBoundingClientRect().left - box.left - sticky;
    let top = scroller.scrollTop;
    const row = lane == null ? null : this.root.querySelector(`.lane-row[data-lane="${lane}"] .lane-head`);
    if (row) {
      const headHeight = drawnSize(this.root.querySelector(".head-row"), "height");
      top += row.getBoundingClientRect().top - box.top - headHeight;
    }
    scroller.scrollTo({ left, top, behavior: "smooth" });
  }

  // --- present -------------------------------------------------------------------------------

  renderPresentButtons() {
    const presenting = Boolean(this.controls.present);
    if (this.isFacilitator) {
      this.pressed("present", presenting, presenting ? "Show the presentation" : "Present");
      return;
    }
    this.button("rejoin").hidden = !presenting || this.presenter.isOpen;
  }

  // --- buttons -------------------------------------------------------------------------------

  onClick(event) {
    const control = event.target.closest("button[data-control]")?.dataset.control;
    const action = {
      lock: () => this.send(this.controls.locked ? "board.unlock" : "board.lock", {},
        { label: this.controls.locked ? "unlock the board" : "lock the board" }),
      "timer-pause": () => this.send("timer.pause", {}, { label: "pause the timer" }),
      "timer-resume": () => this.send("timer.start", {}, { label: "resume the timer" }),
      "timer-reset": () => this.send("timer.reset", {}, { label: "reset the timer" }),
      follow: () => this.send(this.controls.follow ? "follow.stop" : "follow.start", {},
        { label: this.controls.follow ? "stop leading the view" : "ask everyone to follow" }),
      "follow-me": () => { this.optedOut = this.following; this.renderFollow(); },
      present: () => this.present(),
      rejoin: () => { this.presenter.rejoin(); this.render(); },
    }[control];
    action?.();
  }

  present() {
    if (this.controls.present) return this.presenter.rejoin(true);
    const first = this.store.stages[0];
    if (!first) return this.toast("The map has no stages to present.", "error");
    this.presenter.open(first.id, true); // at once, in the click: full screen needs the gesture
    this.send("present.start", { stage: first.id }, { label: "start presenting", onError: () => this.presenter.cancel() });
  }
}
