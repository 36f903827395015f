// The board's layout, each person's own and kept in this browser (localStorage): the map's tools
// open or folded away, the grid's zoom (per map; "fit" keeps the whole map in the window as it
// changes), and projector mode (larger type everywhere). Nothing here reaches the server.

export const ZOOM_STEPS = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5];
const FIT_MIN = 0.4;
const FIT_MAX = 1.5;

// The zoom at which a grid of `size` fits in `room` (both {width, height}), within bounds.
export function fitZoom(size, room) {
  if (!size.width || !size.height) return 1;
  const zoom = Math.min(room.width / size.width, room.height / size.height);
  return Math.max(FIT_MIN, Math.min(FIT_MAX, Math.floor(zoom * 100) / 100));
}

// The next step up (+1) or down (-1) from `zoom`, which may lie between steps after a fit.
export function stepZoom(zoom, direction) {
  const steps = direction > 0 ? ZOOM_STEPS : [...ZOOM_STEPS].reverse();
  return steps.find((step) => (direction > 0 ? step > zoom + 0.001 : step < zoom - 0.001)) ?? steps.at(-1);
}

class Preferences {
  constructor(userId, mapId) {
    this.prefix = `cjm.board.${userId}`;
    this.mapId = mapId;
  }

  read(key) {
    try { return window.localStorage.getItem(`${this.prefix}.${key}`); } catch { return null; }
  }

  write(key, value) {
    try { window.localStorage.setItem(`${this.prefix}.${key}`, value); } catch { /* private mode: for this visit only */ }
  }

  get zoomKey() { return `zoom.${this.mapId}`; }
}

export function installLayout({ root, announce }) {
  const layout = new Layout(root, announce);
  layout.start();
  return layout;
}

class Layout {
  constructor(root, announce) {
    this.root = root;
    this.announce = announce;
    this.grid = root.querySelector("#board");
    this.scroller = root.querySelector(".board-scroll");
    this.tools = root.querySelector("#board-tools");
    this.prefs = new Preferences(root.dataset.userId, root.dataset.mapId);
    this.zoom = 1;
    this.fitting = false;
  }

  start() {
    const zoom = this.prefs.read(this.prefs.zoomKey);
    this.fitting = zoom === "fit";
    this.setZoom(this.fitting ? 1 : Number(zoom) || 1, { quiet: true, keep: true });
    this.setProjector(this.prefs.read("projector") === "on", { quiet: true });
    this.setTools(this.prefs.read("tools") !== "folded", { quiet: true });
    this.root.addEventListener("click", (event) => this.onClick(event));
    // Fit follows the window and the map: a resize, a new stage, a taller cell.
    new ResizeObserver(() => { if (this.fitting) this.fit({ quiet: true }); }).observe(this.scroller);
    new ResizeObserver(() => { if (this.fitting) this.fit({ quiet: true }); }).observe(this.grid);
    if (this.fitting) this.fit({ quiet: true });
  }

  onClick(event) {
    const control = event.target.closest("[data-view]")?.dataset.view;
    const action = {
      "zoom-in": () => this.setZoom(stepZoom(this.zoom, 1)),
      "zoom-out": () => this.setZoom(stepZoom(this.zoom, -1)),
      fit: () => (this.fitting ? this.setZoom(1) : this.fit()),
      projector: () => this.setProjector(!this.root.ownerDocument.documentElement.classList.contains("projector-mode")),
      tools: () => this.setTools(this.tools.hidden),
    }[control];
    action?.();
  }

  // --- zoom ------------------------------------------------------------------------------

  setZoom(zoom, { quiet = false, keep = false } = {}) {
    if (!keep) this.fitting = false;
    this.apply(zoom);
    if (!keep) this.prefs.write(this.prefs.zoomKey, String(this.zoom));
    if (!quiet) this.announce(`Zoom ${Math.round(this.zoom * 100)}%.`);
  }

  fit({ quiet = false } = {}) {
    const first = !this.fitting;
    this.fitting = true;
    this.prefs.write(this.prefs.zoomKey, "fit");
    // A few pixels to spare: rounding at small zooms must not push the last lane out of sight.
    const room = { width: this.scroller.clientWidth - 6, height: this.scroller.clientHeight - 6 };
    const zoom = fitZoom(this.naturalSize(), room);
    if (Math.abs(zoom - this.zoom) > 0.005 || first) this.apply(zoom);
    // Type does not shrink quite in proportion (its metrics round): a step or two less if need be.
    for (let i = 0; i < 5 && this.zoom > FIT_MIN && this.overflows(room); i++) {
      this.apply(Math.max(FIT_MIN, Math.round((this.zoom - 0.02) * 100) / 100));
    }
    if (!quiet) this.announce(`The whole map fits the window: zoom ${Math.round(this.zoom * 100)}%.`);
  }

  overflows(room) {
    const { width, height } = this.grid.getBoundingClientRect();
    return height > room.height + 6 || (width > room.width + 6 && this.grid.scrollWidth > this.scroller.clientWidth);
  }

  // The grid's size at 100%, as wide as its columns rather than its box (which fills the window).
  naturalSize() {
    const style = this.grid.style;
    style.setProperty("--board-zoom", "1");
    style.setProperty("min-width", "0");
    const { width, height } = this.grid.getBoundingClientRect();
    style.removeProperty("min-width");
    style.setProperty("--board-zoom", String(this.zoom));
    return { width, height };
  }

  apply(zoom) {
    this.zoom = zoom;
    this.grid.style.setProperty("--board-zoom", String(zoom));
    this.grid.classList.toggle("zoomed", zoom !== 1);
    this.root.querySelector("[data-zoom-value]").textContent = `${Math.round(zoom * 100)}%`;
    this.pressed("fit", this.fitting);
  }

  // --- projector mode and the tools ----------------------------------------------------------

  setProjector(on, { quiet = false } = {}) {
    this.root.ownerDocument.documentElement.classList.toggle("projector-mode", on);
    this.pressed("projector", on);
    if (quiet) return;
    this.prefs.write("projector", on ? "on" : "off");
    this.announce(on ? "Projector mode: larger type." : "Projector mode off.");
  }

  setTools(open, { quiet = false } = {}) {
    this.tools.hidden = !open;
    this.root.querySelector('[data-view="tools"]').setAttribute("aria-expanded", String(open));
    if (quiet) return;
    this.prefs.write("tools", open ? "open" : "folded");
    this.announce(open ? "Map tools shown." : "Map tools folded away.");
  }

  pressed(control, on) {
    this.root.querySelector(`[data-view="${control}"]`)?.setAttribute("aria-pressed", String(on));
  }
}
