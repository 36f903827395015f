// The walkthrough of a shared map: present mode (present.js), one stage at a time with the
// evidence behind it, stepped by the reader alone; or, when the link follows the presentation
// and a facilitator presents the map, the stage presented, which the reader follows until they
// leave (Escape), as a participant on the board does. Nothing is sent anywhere: a share link's
// reader drives no one. The evidence comes with the page (the few pieces a stage shows, and
// its scores), never from the API.

import { Presenter } from "./present.js";
import { el } from "./dom.js";
import { formatNumber } from "./format.js";
import { hasScores } from "./scores-data.js";
import { scoreList } from "./scores-view.js";

const counted = (n, noun) => `${formatNumber(n)} ${noun}${n === 1 ? "" : "s"}`;

export class SharePresenter extends Presenter {
  // `pieces`: {stage id: [piece]}; `withEvidence`: whether the link shows evidence at all.
  constructor({ root, store, pieces, withEvidence }) {
    const nobody = () => {};
    super({ root, store, send: nobody, isFacilitator: true, onLeave: nobody, onDrawn: nobody });
    this.pieces = pieces;
    this.withEvidence = withEvidence;
    this.following = false; // showing the facilitator's stage rather than the reader's own
  }

  // The reader's "Walk through the stages": back into a presentation they left, or their own.
  begin() {
    this.left = false;
    const present = this.store.map.controls?.present;
    if (present) return this.follow(present, true);
    this.following = false;
    this.open(this.store.stages[0]?.id ?? null, true);
  }

  // The server's word, with each board: {stage} while a facilitator presents, else null.
  follow(present, gesture = false) {
    if (!present) {
      this.left = false;
      if (this.following) this.close();
      this.following = false;
      return;
    }
    if (this.left) return;
    const changed = !this.following;
    this.following = true;
    if (changed && this.overlay) this.overlay.dataset.drawn = ""; // redraw its bar
    this.open(present.stage, gesture);
  }

  close() {
    this.following = false;
    super.close();
  }

  step(delta) {
    if (this.following) return; // the facilitator moves the stage
    const stages = this.store.stages;
    const index = stages.findIndex((s) => s.id === this.stageId) + delta;
    if (index >= 0 && index < stages.length) this.show(stages[index].id);
  }

  stop() {
    if (this.following) this.left = true; // until the next presentation, or "Walk through"
    this.close();
  }

  bar(index, count) {
    const where = count ? `Stage ${index + 1} of ${count}` : "No stages";
    const actions = this.following ? [button("stop", "Leave the presentation (Esc)")] : [
      button("prev", "◀ Previous stage", index <= 0),
      button("next", "Next stage ▶", index >= count - 1),
      button("stop", "Close (Esc)"),
    ];
    return el("header", { class: "present-bar" },
      el("p", { class: "present-step", text: this.following ? `${where} · presented live` : where }),
      el("div", { class: "present-actions" }, ...actions, button("fullscreen", "Full screen")));
  }

  loadEvidence(stageId) {
    if (!this.withEvidence) return this.notShared();
    this.renderEvidence({ pieces: this.pieces[stageId] || [], scores: this.store.scores.stage(stageId) });
  }

  // The board's drawing of the pieces, and what it cannot know from them: the scores count
  // every answer (those without words too, which are not among the pieces), and the stage may
  // hold more pieces than the few shown.
  renderEvidence(found) {
    super.renderEvidence(found);
    const section = this.overlay.querySelector(".present-evidence");
    const total = this.store.evidence.stage(this.stageId, this.store.cards.values()).total;
    if (total) section.querySelector(".assumption")?.remove();
    if (hasScores(found.scores) && !section.querySelector(".kind-survey")) {
      section.append(el("div", { class: "evidence-group kind-survey" },
        el("h4", { text: "Scores" }), scoreList(found.scores)));
    }
    if (total > found.pieces.length) {
      section.append(el("p", { class: "evidence-source share-more",
        text: `${counted(found.pieces.length, "piece")} shown of the ${counted(total, "piece")} of evidence on this stage: a few of each kind.` }));
    }
  }

  notShared() {
    const section = this.overlay.querySelector(".present-evidence");
    section.replaceChildren(section.querySelector("h3"),
      el("p", { class: "present-empty", text: "The evidence is not part of what was shared." }));
  }
}

function button(action, text, disabled = false) {
  return el("button", { type: "button", class: "present-button", "data-present": action, disabled, text });
}
