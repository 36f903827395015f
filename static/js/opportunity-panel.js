// The Work block of a card's side panel (card-links.js installs it): for an opportunity its
// owner, status, impact and effort, its ticket links, and the pain points it answers; for a
// pain point the opportunities that answer it. Editors change them over REST (docs/api.md,
// "Opportunities"); what comes back as events redraws the block on every board. Text is built
// into the page as text, never as HTML.

import { el, snippet } from "./dom.js";
import { api } from "./evidence-api.js";
import { cardName, ticketChip } from "./work-chips.js";

const STATUSES = [["idea", "Idea"], ["planned", "Planned"], ["in_progress", "In progress"],
  ["shipped", "Shipped"], ["dropped", "Dropped"]];
const SCORES = ["1", "2", "3", "4", "5"];

export class WorkBlock {
  constructor({ root, store, panel, work, toast, announce }) {
    Object.assign(this, { store, panel, work, toast, announce });
    this.canEdit = root.dataset.canEdit === "true";
    this.subject = null;
    this.members = null; // loaded when the first opportunity is shown
    this.node = el("section", { class: "work-block", id: "work-block", "aria-labelledby": "work-title", hidden: true });
    const anchor = panel.node.querySelector("#evidence-scores");
    panel.node.insertBefore(this.node, anchor);
    this.node.addEventListener("change", (event) => this.onChange(event));
    this.node.addEventListener("submit", (event) => this.onSubmit(event));
    this.node.addEventListener("click", (event) => this.onClick(event));
  }

  get card() { return this.subject?.type === "card" ? this.store.cards.get(this.subject.id) : null; }
  get kind() { return this.card ? this.store.lane(this.card.lane)?.kind : null; }

  show(subject) {
    this.subject = subject;
    if (this.kind === "opportunities" && !this.members) this.loadMembers();
    this.render();
  }

  async loadMembers() {
    this.members = [];
    const found = await api("GET", `/api/workshops/${this.store.map.workshop}/members/`).catch(() => []);
    this.members = found;
    this.render();
  }

  render() {
    const kind = this.kind;
    this.node.hidden = kind !== "opportunities" && kind !== "pain_points";
    if (this.node.hidden) return;
    const keepFocus = this.node.contains(document.activeElement) ? document.activeElement.id : null;
    const typed = this.node.querySelector("#work-ticket-url")?.value || ""; // others' changes keep it
    this.node.replaceChildren(
      el("h3", { id: "work-title", text: kind === "opportunities" ? "Work" : "Answered by" }),
      ...(kind === "opportunities" ? [this.workForm(), this.ticketsPart()] : []),
      this.linksPart(kind),
      el("p", { class: "form-error", id: "work-error", role: "alert", hidden: true }),
    );
    const input = this.node.querySelector("#work-ticket-url");
    if (input) input.value = typed;
    if (keepFocus) document.getElementById(keepFocus)?.focus();
  }

  // --- owner, status, impact, effort -----------------------------------------------------------

  workForm() {
    const item = this.work.of(this.card.id) || { status: "idea", owner: null, impact: null, effort: null };
    const owners = [["", "Nobody"], ...(this.members || []).map((m) => [String(m.user), m.name || m.username])];
    if (item.owner && !owners.some(([id]) => id === String(item.owner))) owners.push([String(item.owner), item.owner_name]);
    const field = (name, label, options, value) => el("div", { class: "work-field" },
      el("label", { for: `work-${name}`, text: label }),
      el("select", { id: `work-${name}`, name, disabled: !this.canEdit },
        ...options.map(([v, text]) => el("option", { value: v, text, selected: String(value ?? "") === v }))));
    const scores = [["", "—"], ...SCORES.map((s) => [s, s])];
    return el("div", { class: "work-fields", role: "group", "aria-label": "Who and how far" },
      field("owner", "Owner", owners, item.owner),
      field("status", "Status", STATUSES, item.status),
      field("impact", "Impact (1-5)", scores, item.impact),
      field("effort", "Effort (1-5)", scores, item.effort));
  }

  onChange(event) {
    const select = event.target.closest("select[name]");
    if (!select || !this.canEdit || select.name === "link") return;
    const value = select.value === "" ? null : select.name === "status" ? select.value : Number(select.value);
    this.patch({ [select.name]: value }, `set the ${select.name}`);
  }

  async patch(changes, label) {
    const card = this.card;
    try {
      await api("PATCH", `/api/maps/${this.store.map.id}/cards/${card.id}/opportunity/`, changes);
      this.announce(`Saved: ${label} of ${snippet(card.text, 30)}.`);
      return true;
    } catch (error) {
      this.showError(error);
      this.render(); // back to what the server holds
      this.showError(error);
      return false;
    }
  }

  // --- tickets -------------------------------------------------------------------------------

  ticketsPart() {
    const item = this.work.of(this.card.id);
    const tickets = item?.tickets || [];
    const list = el("ul", { class: "work-tickets", "aria-label": "Tickets" },
      ...tickets.map((ticket, n) => el("li", {}, ticketChip(ticket), this.canEdit
        ? el("button", { type: "button", class: "icon-btn", "data-ticket-remove": n,
          "aria-label": `Remove the ticket ${ticket.name} ${ticket.key}`, text: "✕" }) : null)));
    if (!tickets.length) list.append(el("li", { class: "muted", text: "No ticket yet." }));
    const form = this.canEdit ? el("form", { class: "work-ticket-form", id: "work-ticket-form" },
      el("label", { for: "work-ticket-url", text: "Ticket link" }),
      el("input", { id: "work-ticket-url", name: "url", type: "url", maxlength: "500",
        placeholder: "https://…/browse/SHOP-142", "aria-describedby": "work-ticket-help" }),
      el("p", { class: "field-help", id: "work-ticket-help",
        text: "Jira, Linear, GitHub, GitLab, Azure DevOps, Asana, Trello, or any http(s) link." }),
      el("button", { type: "submit", class: "button small", text: "Add ticket" })) : null;
    return el("div", { class: "work-tickets-part" }, el("h4", { text: "Tickets" }), list, form);
  }

  urls() { return (this.work.of(this.card.id)?.tickets || []).map((t) => t.url); }

  // --- links ----------------------------------------------------------------------------------

  linksPart(kind) {
    const mine = this.work.linksOf(this.card.id);
    const title = kind === "opportunities" ? "Answers these pain points" : "Opportunities that answer it";
    const list = el("ul", { class: "work-links", "aria-label": title },
      ...mine.map(({ link, other }) => el("li", {},
        el("a", { href: `#card-${other}`, class: "work-link", text: cardName(this.store, other) }),
        this.canEdit ? el("button", { type: "button", class: "icon-btn", "data-link-remove": link.id,
          "aria-label": `Unlink ${cardName(this.store, other)}`, text: "✕" }) : null)));
    if (!mine.length) list.append(el("li", { class: "muted", text: "None linked yet." }));
    const otherKind = kind === "opportunities" ? "pain_points" : "opportunities";
    const taken = new Set(mine.map(({ other }) => other));
    const candidates = [...this.store.cards.values()]
      .filter((c) => this.store.lane(c.lane)?.kind === otherKind && !taken.has(c.id) && !c.private);
    const form = this.canEdit && candidates.length ? el("form", { class: "work-link-form", id: "work-link-form" },
      el("label", { for: "work-link-card", text: kind === "opportunities" ? "Link a pain point" : "Link an opportunity" }),
      el("select", { id: "work-link-card", name: "link" },
        ...candidates.map((c) => el("option", { value: c.id, text: cardName(this.store, c.id) }))),
      el("button", { type: "submit", class: "button small", text: "Link" })) : null;
    return el("div", { class: "work-links-part" }, kind === "opportunities" ? el("h4", { text: title }) : null, list, form);
  }

  async onSubmit(event) {
    event.preventDefault();
    if (event.target.id === "work-ticket-form") {
      const input = event.target.elements.url;
      const url = input.value.trim();
      if (!url) return this.showError({ message: "Paste the ticket's link first." });
      if (await this.patch({ tickets: [...this.urls(), url] }, "add a ticket")) {
        const field = this.node.querySelector("#work-ticket-url");
        if (field) field.value = "";
      }
    } else if (event.target.id === "work-link-form") {
      const other = Number(event.target.elements.link.value);
      const mine = this.card.id;
      const ends = this.kind === "opportunities" ? { opportunity: mine, pain_point: other } : { opportunity: other, pain_point: mine };
      try {
        await api("POST", `/api/maps/${this.store.map.id}/links/`, ends);
        this.announce(`Linked to ${cardName(this.store, other)}.`);
      } catch (error) { this.showError(error); }
    }
  }

  async onClick(event) {
    const ticket = event.target.closest("[data-ticket-remove]");
    const link = event.target.closest("[data-link-remove]");
    if (ticket) {
      const urls = this.urls().filter((_, n) => n !== Number(ticket.dataset.ticketRemove));
      await this.patch({ tickets: urls }, "remove a ticket");
    } else if (link) {
      try {
        await api("DELETE", `/api/maps/${this.store.map.id}/links/${link.dataset.linkRemove}/`);
        this.announce("Unlinked.");
      } catch (error) { this.showError(error); }
    }
  }

  showError(error) {
    const box = this.node.querySelector("#work-error");
    if (!box) return this.toast(error.message, "error");
    const fields = error.fields ? Object.values(error.fields).flat().join(" ") : "";
    box.textContent = fields || error.message;
    box.hidden = false;
  }
}
