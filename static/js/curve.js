// The emotion curve: the average score of each stage's cards in an emotions lane, joined
// across the stages. The server draws the same curve for the compare page and the PDF
// (documents/pdf/curve.py): +2 at the top, -2 at the bottom, the same smooth line. Drawn in a 100-units-per-stage box stretched to the columns; strokes and
// dots keep their size however the box is stretched (non-scaling stroke, round zero-length
// segments for dots), so the curve stays crisp on a projector.

import { mean, oneDecimal, signed } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const STAGE_WIDTH = 100;
const HEIGHT = 100;
const yOf = (score) => HEIGHT / 2 - score * 20; // -2..2 -> 90..10

export function stageAverages(store, laneId) {
  return store.stages.map((stage) => {
    const scores = (store.cells.get(`${stage.id}:${laneId}`) || [])
      .map((id) => store.cards.get(id)?.emotion_score)
      .filter((score) => typeof score === "number");
    return scores.length ? mean(scores) : null;
  });
}

function svg(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

// The drawing, and the same in words for screen readers.
export function drawCurve(store, laneId) {
  const averages = stageAverages(store, laneId);
  const width = Math.max(averages.length, 1) * STAGE_WIDTH;
  const root = svg("svg", { class: "curve", viewBox: `0 0 ${width} ${HEIGHT}`, preserveAspectRatio: "none" });
  const spoken = store.stages.map((stage, i) =>
    `${stage.title} ${averages[i] == null ? "no score" : formatScore(averages[i])}`);
  root.append(svg("line", { class: "curve-zero", x1: 0, x2: width, y1: yOf(0), y2: yOf(0) }));

  const points = averages.flatMap((avg, i) => (avg == null ? [] : [[i * STAGE_WIDTH + STAGE_WIDTH / 2, yOf(avg), avg]]));
  if (points.length > 1) {
    root.append(svg("path", { class: "curve-line", d: smoothPath(points) }));
  }
  for (const [x, y, avg] of points) {
    const mood = avg > 0.25 ? "up" : avg < -0.25 ? "down" : "flat";
    root.append(svg("path", { class: `curve-dot ${mood}`, d: `M${x} ${y}h0` }));
  }
  return { svg: root, summary: `Emotion curve: ${spoken.join(", ")}` };
}

// A gentle curve through the points: horizontal tangents halfway between neighbours.
function smoothPath(points) {
  let d = `M${points[0][0]} ${points[0][1]}`;
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    const mid = (x0 + x1) / 2;
    d += ` C${mid} ${y0} ${mid} ${y1} ${x1} ${y1}`;
  }
  return d;
}

export const formatScore = (avg) => signed(oneDecimal(avg));
