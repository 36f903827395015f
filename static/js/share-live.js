// Keeps a shared map up to date (templates/documents/share.html): the page asks for the board
// again every few seconds with the revision it has; the server answers 204 while nothing
// changed, or the board and its pieces (documents/web/share.py). No socket: whoever reads a
// shared map is not on the board. A hidden tab does not ask; a revoked or expired link (404)
// ends it for good; past the address's rate, it waits as long as the server says.

const EVERY_MS = 10_000;

// `onBoard(board, pieces)`: a newer board; `onStatus("live" | "behind")`; `onEnded()`.
export function keepLive({ url, store, onBoard, onStatus, onEnded }) {
  let timer = null;
  let asking = false;
  let ended = false;

  const next = (ms = EVERY_MS) => {
    clearTimeout(timer);
    if (!ended) timer = setTimeout(ask, ms);
  };

  async function ask() {
    if (document.hidden || asking || ended) return; // asked again when the tab shows
    asking = true;
    try {
      const answer = await fetch(`${url}?revision=${store.revision}`, { credentials: "omit", cache: "no-store" });
      if (answer.status === 404) {
        ended = true;
        return onEnded();
      }
      if (answer.status === 200) {
        const { board, pieces } = await answer.json();
        onBoard(board, pieces);
      }
      onStatus(answer.ok ? "live" : "behind");
      const wait = Number(answer.headers.get("Retry-After"));
      next(answer.status === 429 && wait > 0 ? wait * 1000 : EVERY_MS);
    } catch {
      onStatus("behind"); // offline for now: try again
      next();
    } finally {
      asking = false;
    }
  }

  document.addEventListener("visibilitychange", () => { if (!document.hidden) next(0); });
  next();
}
