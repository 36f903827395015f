// Drawing scores: the chips on a stage header, the scores block of the evidence panel and of
// present mode, and the table per segment. The numbers come from the server (scores-data.js);
// a segment's name is what someone typed or imported, and goes in as text only.

import { el } from "./dom.js";
import { api } from "./evidence-api.js";
import { formatNumber } from "./format.js";
import {
  SCALES, answerCount, chipText, hasScores, scoreLines, scoreValue, spokenScore,
} from "./scores-data.js";

// One chip per scale the stage has answers on. A chip is a picture of a number to the eye, so
// to a screen reader it is an image named in words ("Net Promoter Score plus 12.5, from 40…").
export function scoreChips(scores) {
  return SCALES.filter((scale) => scores[scale]).map((scale) => {
    const spoken = spokenScore(scale, scores[scale]);
    return el("span", { class: "score-chip", "data-scale": scale, role: "img", "aria-label": spoken,
      title: spoken, text: chipText(scale, scores[scale]) });
  });
}

// "NPS +14.3  3 promoters · 2 passives · 2 detractors · n 7", one line per scale.
export function scoreList(scores) {
  return el("ul", { class: "score-lines" }, ...scoreLines(scores).map((line) => el("li", {
    class: "score-line", "data-scale": line.scale },
  el("span", { class: "score-headline", "aria-hidden": "true" },
    el("span", { class: "score-name", text: line.name }), " ",
    el("strong", { class: "score-value", text: line.value })),
  el("span", { class: "score-detail", "aria-hidden": "true", text: line.detail }),
  el("span", { class: "visually-hidden", text: line.spoken }))));
}

// Segment, NPS, CSAT, CES, n: only worth a table when some answers name a segment.
export function segmentTable(rows) {
  if (!rows.some((row) => row.segment)) return null;
  const cell = (row, scale) => el("td", { class: "num", text: row[scale]
    ? `${scoreValue(scale, row[scale])} (n ${formatNumber(row[scale].n)})` : "—" });
  return el("table", { class: "segment-scores" },
    el("caption", { text: "By segment" }),
    el("thead", {}, el("tr", {}, ...["Segment", "NPS", "CSAT", "CES", "n"].map((name, i) =>
      el("th", { scope: "col", class: i ? "num" : null, text: name })))),
    el("tbody", {}, ...rows.map((row) => el("tr", {},
      el("th", { scope: "row", text: row.segment || "No segment" }),
      ...SCALES.map((scale) => cell(row, scale)),
      el("td", { class: "num", text: formatNumber(answerCount(row)) })))));
}

// The evidence panel's "Scores" block of a stage: NPS, CSAT and CES, and the same per segment,
// asked from the server each time (templates/workshops/_evidence_panel.html holds the frame).
export class ScoresBlock {
  constructor(node) {
    this.node = node;
    this.body = node.querySelector("#evidence-scores-body");
    this.asked = null; // the latest request: only its answer is drawn
  }

  hide() {
    this.asked = null;
    this.node.hidden = true;
  }

  // Only the answer to the latest request is drawn: it was asked after the latest change.
  async load(mapId, stageId) {
    const asked = {};
    this.asked = asked;
    const base = `/api/maps/${mapId}/evidence/scores/`;
    try {
      const [scores, segments] = await Promise.all([
        api("GET", `${base}?stage=${stageId}`),
        api("GET", `${base}segments/?stage=${stageId}`),
      ]);
      if (asked === this.asked) this.show(scores, segments);
    } catch (error) {
      if (asked === this.asked) this.failed(error);
    }
  }

  show(scores, segments) {
    this.node.hidden = !hasScores(scores);
    this.body.replaceChildren(...[scoreList(scores), segmentTable(segments)].filter(Boolean));
  }

  failed(error) {
    this.node.hidden = false;
    this.body.replaceChildren(el("p", { class: "evidence-scores-error",
      text: `Could not load the scores: ${error.message}` }));
  }
}
