// Other people's changes, said politely to screen readers (the board's aria-live="polite"
// region): "Bob added “Shipping fees” to Purchase / Pain points." Changes that come close
// together are said as one sentence after a short quiet, so that a busy room is not a stream
// of interruptions. One's own changes are said where they are made (board.js), the session's
// events by controls.js, the rounds by voting.js.

import { describe, isSessionEvent } from "./history.js";

const QUIET_MS = 1200;
const SAID_AT_MOST = 3;
const OWN_WORDS = /^(vote|private)\.|^hidden$/; // voting.js says these, or they are secret

export function installLiveNews({ store, announce, youId }) {
  let waiting = [];
  let timer = null;

  function flush() {
    timer = null;
    const said = waiting.slice(0, SAID_AT_MOST);
    const more = waiting.length - said.length;
    waiting = [];
    if (!said.length) return;
    announce(`${said.join(". ")}.${more ? ` And ${more} more change${more === 1 ? "" : "s"}.` : ""}`);
  }

  return {
    onEvent(event) {
      if (!event.actor || event.actor.id === youId() || isSessionEvent(event) || OWN_WORDS.test(event.event)) return;
      waiting.push(describe(event, store));
      clearTimeout(timer);
      timer = setTimeout(flush, QUIET_MS);
    },
  };
}
