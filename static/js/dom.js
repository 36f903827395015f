// Making elements, and naming a card in a sentence: what every module that draws shares. Its
// own module, so that the drawing modules need not import each other (render.js draws evidence
// marks, and evidence-marks.js makes elements).

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value == null) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    // Through the CSSOM: the Content Security Policy refuses style attributes.
    else if (name === "style") node.style.cssText = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((c) => c != null));
  return node;
}

export const snippet = (text, length = 40) => {
  const flat = (text || "").replace(/\s+/g, " ").trim() || "empty card";
  return flat.length > length ? `${flat.slice(0, length - 1)}…` : flat;
};
