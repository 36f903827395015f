// Evidence on the live board: the marks on stages and cards (evidence-marks.js), the side
// panel (evidence-panel.js), the bar above the board with the map's coverage, the toggle that
// colours the board by it, the stale age and the masking of personal data in evidence text a
// facilitator sets (docs/evidence.md, docs/privacy.md). board.js calls install() once
// and afterEvent() for every event it applies.

import { el } from "./dom.js";
import { api } from "./evidence-api.js";
import { LAYERS, layersCovered } from "./evidence-data.js";
import { renderEvidenceMarks, stageTally } from "./evidence-marks.js";
import { EvidencePanel } from "./evidence-panel.js";

export function installEvidence({ root, store, view, announce, toast }) {
  const canEdit = root.dataset.canEdit === "true";
  const panel = new EvidencePanel({ root, store, view, canEdit, announce });
  const canSet = root.dataset.role === "facilitator";
  const bar = new EvidenceBar({ root, store, announce, toast, canSet });
  const reload = countsReloader(store, view, bar);
  root.addEventListener("click", (event) => onMarkClick(event, panel));
  view.grid.addEventListener("keydown", (event) => onKey(event, panel));
  bar.render();
  return {
    panel, // the card's and stage's side panel, which comments.js adds its block to
    afterEvent(event, changes = {}) {
      renderEvidenceMarks(view);
      bar.render();
      if (event) panel.applyEvent(event);
      if (event?.event === "evidence.masking_set") bar.maskingSet(event.payload);
      if (changes.evidenceReload) reload.ask();
      reload.settle();
    },
  };
}

function onMarkClick(event, panel) {
  const mark = event.target.closest("[data-evidence-stage], [data-evidence-card]");
  if (!mark || mark.closest("#evidence-panel")) return;
  event.stopPropagation();
  panel.open(subjectOf(mark), mark);
}

const subjectOf = (node) => (node.dataset.evidenceCard
  ? { type: "card", id: Number(node.dataset.evidenceCard) }
  : { type: "stage", id: Number(node.dataset.evidenceStage) });

// E on a focused card or stage header opens its evidence.
function onKey(event, panel) {
  if (event.key.toLowerCase() !== "e" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest(".text-editor, input, textarea, select")) return;
  const card = target.closest(".card[data-card]:not([data-editing])");
  const stage = target.closest(".stage-head")?.querySelector(".evidence-coverage");
  const opener = card || stage;
  if (!opener) return;
  event.preventDefault();
  panel.open(card ? { type: "card", id: Number(card.dataset.card) } : subjectOf(stage), target);
}

// After a CSV import the board asks for fresh counts. They replace its own only at the
// revision they were read at, so that no event is counted twice or missed.
function countsReloader(store, view, bar) {
  let fresh = null;
  let tries = 0;
  const apply = () => {
    store.evidence.load(fresh.evidence, [...store.cards.values()]);
    fresh = null;
    renderEvidenceMarks(view);
    bar.render();
  };
  return {
    async ask() {
      const board = await api("GET", `/api/maps/${store.map.id}/`).catch(() => null);
      if (!board) return;
      fresh = board;
      this.settle();
    },
    settle() {
      if (!fresh || store.revision < fresh.revision) return;
      if (store.revision === fresh.revision) { tries = 0; return apply(); }
      fresh = null; // read before events this board has already applied: read again
      if (++tries < 4) this.ask();
    },
  };
}

// Above the board: the map's coverage in words, the colouring toggle, and the stale age.
class EvidenceBar {
  constructor({ root, store, announce, toast, canSet }) {
    Object.assign(this, { root, store, announce, toast, canSet });
    this.node = root.querySelector("#evidence-bar");
    this.summary = el("p", { class: "evidence-summary", "aria-live": "polite" });
    this.toggle = el("button", { type: "button", class: "button small evidence-toggle",
      "aria-pressed": "false", text: "Colour by evidence" });
    const pressed = () => this.toggle.getAttribute("aria-pressed") === "true";
    this.toggle.addEventListener("click", () => this.colour(!pressed()));
    this.node.replaceChildren(this.summary, this.toggle, legend(), this.staleControl(),
      ...(canSet ? [this.maskingControl()] : []));
    this.node.hidden = false;
  }

  colour(on) {
    this.toggle.setAttribute("aria-pressed", String(on));
    this.root.classList.toggle("evidence-view", on);
    this.announce(on ? "The board is coloured by evidence coverage." : "Evidence colouring off.");
  }

  render() {
    const { stages } = this.store;
    const levels = stages.map((stage) => layersCovered(stageTally(this.store, stage.id)));
    const evidenced = levels.filter(Boolean).length;
    const cells = levels.reduce((sum, n) => sum + n, 0);
    const percent = stages.length ? Math.round((100 * cells) / (stages.length * LAYERS.length)) : 0;
    this.summary.textContent = `Evidence: ${evidenced} of ${stages.length} stages, `
      + `${cells} of ${stages.length * LAYERS.length} stage layers (${percent}%).`;
    const days = this.store.evidence.staleAfterDays;
    if (this.days && document.activeElement !== this.days) this.days.value = days;
    if (this.staleText) this.staleText.textContent = `Stale after ${days} days.`;
    if (this.masking) this.masking.checked = this.store.map.controls?.mask_personal_data !== false;
  }

  staleControl() {
    if (!this.canSet) {
      this.staleText = el("p", { class: "stale-setting" });
      return this.staleText;
    }
    this.days = el("input", { id: "stale-after-days", type: "number", min: "1", max: "3650",
      step: "1", required: true });
    const form = el("form", { class: "stale-setting inline-form" },
      el("label", { for: "stale-after-days", text: "Stale after (days)" }), this.days,
      el("button", { type: "submit", text: "Set" }));
    form.addEventListener("submit", (event) => { event.preventDefault(); this.setDays(); });
    return form;
  }

  async setDays() {
    const value = this.days.value.trim();
    const days = /^\d+$/.test(value) ? Number(value) : value;
    try {
      const url = `/api/maps/${this.store.map.id}/evidence/settings/`;
      await api("PUT", url, { stale_after_days: days });
      this.announce(`Evidence older than ${days} days is now flagged as stale.`);
    } catch (error) {
      const why = error.fields.stale_after_days || [error.message];
      this.toast(`Not saved: ${why.join(" ")}`, "error");
    }
  }

  // Masking of e-mail addresses, phone numbers and IP addresses in evidence text (on unless the
  // map's controls say false); a change by anyone reaches every board as evidence.masking_set.
  maskingControl() {
    this.masking = el("input", { id: "mask-personal-data", type: "checkbox" });
    this.masking.checked = this.store.map.controls?.mask_personal_data !== false;
    this.masking.addEventListener("change", () => this.setMasking(this.masking.checked));
    return el("div", { class: "masking-setting inline-form" }, this.masking,
      el("label", { for: "mask-personal-data", text: "Mask e-mails, phones and IPs in evidence text" }));
  }

  async setMasking(on) {
    try {
      await api("PUT", `/api/maps/${this.store.map.id}/evidence/settings/`, { mask_personal_data: on });
      this.announce(on ? "Personal data in evidence text is masked from now on."
        : "Masking is off: evidence text is stored as it is typed or imported.");
    } catch (error) {
      this.masking.checked = !on;
      this.toast(`Not saved: ${error.message}`, "error");
    }
  }

  maskingSet({ mask_personal_data: on }) {
    this.store.map.controls = { ...(this.store.map.controls || {}), mask_personal_data: on };
    if (this.masking) this.masking.checked = on;
  }
}

function legend() {
  return el("p", { class: "evidence-legend", "aria-hidden": "true" },
    ...[3, 2, 1, 0].map((n) => el("span", { class: "legend-swatch", "data-evidence-layers": n,
      text: n ? `${n} layer${n === 1 ? "" : "s"}` : "Assumption" })));
}
