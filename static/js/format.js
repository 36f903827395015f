// Numbers as the board shows them, in one place: signs, rounding, units. (What the server
// prints, the PDF and the compare page, formats them in documents/pdf/numbers.py.)

const COMPACT_UNITS = new Set(["%", "x", "×", "‰"]);

export const signed = (n) => (n > 0 ? `+${n}` : `${n}`);

export const oneDecimal = (n) => Math.round(n * 10) / 10;

export const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;

export function formatNumber(n) {
  return Number(n).toLocaleString("en", { maximumFractionDigits: 2 });
}

export function withUnit(n, unit) {
  if (n == null) return "";
  if (!unit) return formatNumber(n);
  return COMPACT_UNITS.has(unit) ? `${formatNumber(n)}${unit}` : `${formatNumber(n)} ${unit}`;
}

export const signedPercent = (change) => `${change > 0 ? "+" : ""}${formatNumber(change)}%`;
