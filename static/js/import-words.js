// The importing page's words: the tools, kinds, shapes and fields the imports API names by code,
// in the words a workshop participant reads; and counting pieces in a sentence. No DOM here.

import { formatNumber } from "./format.js";

export const SOURCE_NAMES = {
  "hotjar-survey": "Hotjar survey", "hotjar-feedback": "Hotjar feedback", typeform: "Typeform",
  surveymonkey: "SurveyMonkey", "google-forms": "Google Forms", qualtrics: "Qualtrics",
  ga4: "Google Analytics 4", clarity: "Microsoft Clarity", csv: "A table of your own",
};

export const KIND_NAMES = {
  survey: "Survey answers", quote: "Quotes", metric: "Metrics", recording: "Session recordings",
};

const NOUNS = {
  survey: ["survey answer", "survey answers"], quote: ["quote", "quotes"],
  metric: ["metric", "metrics"], recording: ["session recording", "session recordings"],
};

export const SCALE_LABELS = {
  nps: "NPS (0-10)", csat: "CSAT (1-5)", ces: "CES (1-7)", "": "Free text (no score)",
};

const FIELD_LABELS = {
  question: "Question", answer: "Answer", score: "Score", score_scale: "Scale (nps, csat, ces)",
  segment: "Segment", source: "Source", collected_on: "Date collected", note: "Note",
  name: "What is measured", value: "Value", unit: "Unit", baseline: "Baseline (before)",
  target: "Target", period: "Period", sample_size: "Sample size", text: "Quote",
  who: "Who said it", url: "Recording link", start_seconds: "Start time",
  stage: "Stage", stage_column: "Stage column", comparison: "Date ranges", mapping: "Mapping",
  kind: "Kind", file: "File", non_field_errors: "Row",
};

export function fieldLabel(name, required = []) {
  const label = FIELD_LABELS[name] || name.replaceAll("_", " ");
  return required.includes(name) ? `${label} (required)` : label;
}

export function shapeWords(shape, kind) {
  if (shape === "long") return "One row, one piece of evidence";
  if (kind === "survey") return "One row per respondent, one column per question";
  return "One row per page or channel, one column per number";
}

export const plural = (count, one, many) => `${formatNumber(count)} ${count === 1 ? one : many}`;

export function pieces(count, kind) {
  const [one, many] = NOUNS[kind] || ["piece of evidence", "pieces of evidence"];
  return plural(count, one, many);
}

export const rows = (count) => plural(count, "row", "rows");

// Equal as JSON values: objects whatever the order of their keys, arrays in order.
export function sameValue(a, b) {
  if (a === b) return true;
  if (a == null || b == null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length
    && keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]));
}
