// Comments on the live board (docs/realtime.md, "Comments"): a badge on each card and stage with
// open comments, and the Comments block of the card's or stage's side panel (the evidence panel)
// with its thread, where editors add, resolve and reopen, and authors edit and delete their own.
// The thread is read over REST when the panel opens; every change goes over the socket and
// comes back as an event to every board, whoever made it. board.js calls install() once,
// afterSnapshot() for each snapshot and afterEvent() for every event it applies. Text is built
// into the page as text, never as HTML.

import { el, snippet } from "./dom.js";
import { api } from "./evidence-api.js";

const COMMENT_TEXT_MAX = 2000;
const MENTION = /(^|[^\w@])(@\w[\w.-]*\w|@\w)/g;
const CHANGES = ["comment.created", "comment.updated", "comment.resolved", "comment.reopened",
  "comment.deleted"];

export function installComments({ root, store, view, panel, send, toast, announce }) {
  const counts = new OpenCounts(store.map.comments);
  const block = new CommentsBlock({ root, store, panel, send, toast, announce, counts });
  const badges = new Badges({ store, view, counts, panel });
  view.decorators.push((node, card) => badges.onCard(node, card));
  panel.node.addEventListener("subjectchange", (event) => block.show(event.detail));
  root.addEventListener("click", (event) => badges.onClick(event, block));
  badges.renderAll();
  openFromLink(store, panel, block);
  return {
    afterSnapshot() {
      counts.load(store.map.comments);
      badges.renderAll();
      block.reload();
    },
    afterEvent(event) {
      if (counts.apply(event) === "reload") counts.reload(store).then(() => badges.renderAll());
      badges.renderAll();
      block.apply(event);
    },
  };
}

// A link from one's mentions (?comments=card-12) opens the board on that thread.
function openFromLink(store, panel, block) {
  const wanted = new URLSearchParams(window.location.search).get("comments") || "";
  const [type, id] = wanted.split("-");
  const subject = { type, id: Number(id) };
  const known = type === "card" ? store.cards.has(subject.id) : type === "stage" && store.stage(subject.id);
  if (!known) return;
  panel.open(subject, null);
  block.focus();
}

// --- the open comments of each card and stage ---------------------------------------------------

class OpenCounts {
  constructor(board) { this.load(board); }

  load(board) {
    this.cards = new Map(Object.entries(board?.cards || {}).map(([id, n]) => [Number(id), n]));
    this.stages = new Map(Object.entries(board?.stages || {}).map(([id, n]) => [Number(id), n]));
  }

  of(type, id) { return (type === "card" ? this.cards : this.stages).get(id) || 0; }

  // The event says how many comments its card or stage has open after it; a card or stage
  // that comes back (an undone delete) brings its comments with it.
  apply({ event, payload }) {
    if (CHANGES.includes(event)) {
      const { card, stage } = payload.comment;
      if (card) this.cards.set(card, payload.open_comments);
      else this.stages.set(stage, payload.open_comments);
    } else if (payload?.comments?.length) {
      this.add(payload.comments);
    } else if (event === "map.restored") {
      this.load(payload.board?.comments);
    } else if (event === "private.revealed") {
      return "reload"; // the revealed cards' comments were their authors' alone until now
    }
    return null;
  }

  // Count these comments' open ones afresh for the cards and stages they are on.
  add(comments) {
    const open = comments.filter((comment) => !comment.resolved);
    const places = open.map((c) => (c.card ? [this.cards, c.card] : [this.stages, c.stage]));
    for (const [map, id] of places) map.set(id, 0);
    for (const [map, id] of places) map.set(id, map.get(id) + 1);
  }

  async reload(store) {
    const open = await api("GET", `/api/maps/${store.map.id}/comments/?resolved=false`).catch(() => null);
    if (!open) return;
    this.load({});
    this.add(open);
  }
}

// --- the badges ------------------------------------------------------------------------------

class Badges {
  constructor({ store, view, counts, panel }) { Object.assign(this, { store, view, counts, panel }); }

  badge(type, id, name, node = null) {
    const n = this.counts.of(type, id);
    const button = node || el("button", { type: "button", class: "comment-badge",
      "data-comments-type": type, "data-comments-id": id });
    button.hidden = !n;
    button.textContent = `❝ ${n}`; // a quotation mark, in DejaVu Sans: no emoji font needed
    button.setAttribute("aria-label", `${n} open comment${n === 1 ? "" : "s"} on ${name}. Open the comments.`);
    button.title = "Comments";
    return button;
  }

  onCard(node, card) {
    const meta = node.querySelector(".card-meta");
    const old = node.querySelector(".comment-badge");
    const badge = this.badge("card", card.id, `card “${snippet(card.text, 30)}”`, old);
    if (!old && meta) meta.append(badge);
  }

  renderAll() {
    for (const [id, node] of this.view.cards) {
      const card = this.store.cards.get(id);
      if (card) this.onCard(node, card);
    }
    for (const stage of this.store.stages) {
      const head = this.view.grid.querySelector(`.stage-head[data-stage="${stage.id}"]`);
      if (!head) continue;
      const old = head.querySelector(".comment-badge");
      const badge = this.badge("stage", stage.id, `stage ${stage.title}`, old);
      if (!old) head.append(badge);
    }
  }

  onClick(event, block) {
    const badge = event.target.closest(".comment-badge");
    if (!badge) return;
    event.stopPropagation();
    this.panel.open({ type: badge.dataset.commentsType, id: Number(badge.dataset.commentsId) }, badge);
    block.focus();
  }
}

// --- the thread in the panel -------------------------------------------------------------------

class CommentsBlock {
  constructor({ root, store, panel, send, toast, announce, counts }) {
    Object.assign(this, { store, panel, send, toast, announce, counts });
    this.me = Number(root.dataset.userId);
    this.canEdit = root.dataset.canEdit === "true";
    this.node = panel.node.querySelector("#comments-block");
    this.list = this.node.querySelector("#comments-list");
    this.heading = this.node.querySelector("#comments-title");
    this.status = this.node.querySelector("#comments-status");
    this.form = this.node.querySelector("#comment-form");
    this.form.hidden = !this.canEdit;
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.add(); });
    this.list.addEventListener("click", (event) => this.onClick(event));
    this.subject = null;
    this.thread = new Map();
    this.buffer = null; // events that arrive while the thread loads
  }

  belongs(comment) {
    const { type, id } = this.subject || {};
    return type === "card" ? comment.card === id : comment.stage === id;
  }

  show(subject) {
    const same = this.subject?.type === subject.type && this.subject?.id === subject.id;
    this.subject = subject;
    if (!same) this.form.elements.text.value = "";
    this.load();
  }

  reload() { if (this.subject && this.panel.isOpen) this.load(); }

  focus() { (this.canEdit ? this.form.elements.text : this.heading).focus(); }

  async load() {
    const asked = this.subject;
    this.buffer = [];
    this.status.textContent = "Loading comments…";
    try {
      const url = `/api/maps/${this.store.map.id}/comments/?${asked.type}=${asked.id}`;
      const thread = await api("GET", url);
      if (asked !== this.subject) return;
      this.thread = new Map(thread.map((comment) => [comment.id, comment]));
      const missed = this.buffer;
      this.buffer = null;
      for (const event of missed) this.apply(event);
      this.render();
    } catch (error) {
      this.buffer = null;
      this.status.textContent = `Could not load the comments: ${error.message}`;
    }
  }

  apply(event) {
    if (!this.subject) return;
    if (this.buffer) return this.buffer.push(event);
    const { comment, comments } = event.payload || {};
    if (CHANGES.includes(event.event) && this.belongs(comment)) {
      if (event.event === "comment.deleted") this.thread.delete(comment.id);
      else this.thread.set(comment.id, comment);
      if (this.panel.isOpen && comment.author !== this.me) this.announce(`${words(event)}.`);
    } else if (comments?.length) {
      for (const back of comments.filter((c) => this.belongs(c))) this.thread.set(back.id, back);
    } else if (event.event === "private.revealed" || event.event === "map.restored") {
      return this.reload();
    } else {
      return;
    }
    this.render();
  }

  render() {
    const editing = this.list.querySelector(".comment-edit")?.closest("li[data-comment]");
    const thread = [...this.thread.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id);
    const items = thread.map((c) => (editing?.dataset.comment === String(c.id) ? editing : this.item(c)));
    this.list.replaceChildren(...items);
    const open = thread.filter((c) => !c.resolved).length;
    this.heading.textContent = `Comments (${open} open)`;
    this.status.textContent = thread.length ? "" : "No comments yet.";
  }

  item(comment) {
    const mine = comment.author === this.me && this.canEdit;
    const when = new Date(comment.created_at);
    const head = el("p", { class: "comment-head" },
      el("strong", { class: "comment-author", text: comment.author_name || "Someone" }), " ",
      el("time", { datetime: comment.created_at, text: when.toLocaleString() }),
      comment.edited_at ? el("span", { class: "comment-edited", text: " (edited)" }) : null,
      comment.resolved ? el("span", { class: "pill comment-resolved",
        text: `Resolved${comment.resolved_by_name ? ` by ${comment.resolved_by_name}` : ""}` }) : null);
    const tools = el("div", { class: "comment-tools" },
      this.canEdit ? button(comment.resolved ? "Reopen" : "Resolve", "resolve", comment) : null,
      mine ? button("Edit", "edit", comment) : null,
      mine ? button("Delete", "delete", comment) : null);
    return el("li", { class: `comment${comment.resolved ? " resolved" : ""}`, "data-comment": comment.id },
      head, el("p", { class: "comment-text" }, ...withMentions(comment.text)), tools);
  }

  onClick(event) {
    const target = event.target.closest("button[data-comment-action]");
    if (!target) return;
    const comment = this.thread.get(Number(target.closest("li").dataset.comment));
    if (!comment) return;
    const action = target.dataset.commentAction;
    if (action === "resolve") this.resolve(comment);
    else if (action === "delete") this.remove(comment);
    else if (action === "edit") this.edit(target.closest("li"), comment);
  }

  add() {
    const field = this.form.elements.text;
    const text = field.value.trim();
    if (!text) return this.fail(this.form, { message: "Write something first." });
    const { type, id } = this.subject;
    this.clearError(this.form);
    this.form.querySelector("[type=submit]").disabled = true;
    this.send("comment.create", { [type]: id, text }, {
      label: "add the comment", quiet: true,
      onAck: () => { field.value = ""; this.form.querySelector("[type=submit]").disabled = false; this.announce("Comment added."); },
      onError: (error) => { this.form.querySelector("[type=submit]").disabled = false; this.fail(this.form, error); },
    });
  }

  resolve(comment) {
    const resolved = !comment.resolved;
    this.send("comment.resolve", { comment: comment.id, resolved }, {
      label: resolved ? "resolve the comment" : "reopen the comment",
      onAck: () => this.announce(resolved ? "Comment resolved." : "Comment reopened."),
    });
  }

  remove(comment) {
    this.send("comment.delete", { comment: comment.id }, {
      label: "delete the comment",
      onAck: () => this.announce("Comment deleted. Undo brings it back."),
    });
  }

  edit(li, comment) {
    const form = el("form", { class: "comment-edit" },
      el("label", { class: "visually-hidden", for: `comment-edit-${comment.id}`, text: "Your comment" }),
      el("textarea", { id: `comment-edit-${comment.id}`, name: "text", rows: "3", maxlength: COMMENT_TEXT_MAX }),
      el("p", { class: "form-error", role: "alert", hidden: true }),
      el("div", { class: "comment-tools" },
        el("button", { type: "submit", class: "button small primary", text: "Save" }),
        el("button", { type: "button", class: "button small", "data-cancel": "", text: "Cancel" })));
    form.elements.text.value = comment.text;
    li.querySelector(".comment-text").replaceWith(form);
    li.querySelector(":scope > .comment-tools").hidden = true;
    form.querySelector("[data-cancel]").addEventListener("click", () => { form.remove(); this.render(); });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = form.elements.text.value.trim();
      this.send("comment.update", { comment: comment.id, text }, {
        label: "save the comment", quiet: true,
        onAck: () => { form.remove(); this.render(); this.announce("Comment saved."); },
        onError: (error) => this.fail(form, error),
      });
    });
    form.elements.text.focus();
  }

  fail(form, error) {
    const box = form.querySelector(".form-error");
    const fields = error.fields || {};
    box.textContent = `Not saved. ${Object.values(fields).flat().join(" ") || error.message || ""}`;
    box.hidden = false;
    form.elements.text.setAttribute("aria-invalid", "true");
    form.elements.text.focus();
  }

  clearError(form) {
    form.querySelector(".form-error").hidden = true;
    form.elements.text.removeAttribute("aria-invalid");
  }
}

function button(text, action, comment) {
  const what = snippet(comment.text, 30);
  return el("button", { type: "button", class: "button small", "data-comment-action": action,
    "aria-label": `${text} the comment “${what}”`, text });
}

// The text, with each @mention set apart; built of text nodes, never HTML.
function withMentions(text) {
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const start = match.index + match[1].length;
    parts.push(document.createTextNode(text.slice(last, start)));
    parts.push(el("span", { class: "mention", text: match[2] }));
    last = start + match[2].length;
  }
  parts.push(document.createTextNode(text.slice(last)));
  return parts;
}

function words({ event, actor }) {
  const who = actor?.name || "Someone";
  const verb = { "comment.created": "commented", "comment.updated": "edited a comment",
    "comment.resolved": "resolved a comment", "comment.reopened": "reopened a comment",
    "comment.deleted": "deleted a comment" }[event];
  return `${who} ${verb}`;
}
