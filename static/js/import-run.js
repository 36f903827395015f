// The importing page's conversation with the imports API: posting a file (multipart, with the
// page's CSRF token, as the cookie may be HttpOnly) and following a started job until it is done
// or failed, however long its worker takes to pick it up. No drawing here: whoever follows a
// job is told each state, and how the following goes.

import { ApiError, api } from "./evidence-api.js";

const POLL_MS = 500;
const WORKER_SILENT_MS = 10_000; // queued this long: the background worker does not seem to run
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

export async function post(url, form, { key = null } = {}) {
  const headers = { Accept: "application/json",
    "X-CSRFToken": document.querySelector("#import-page [name=csrfmiddlewaretoken]").value };
  if (key) headers["Idempotency-Key"] = key;
  return send(url, { method: "POST", headers, body: form });
}

// A JSON body (the map's evidence settings), with the page's CSRF token as post() sends it.
export async function putJson(url, body) {
  const headers = { Accept: "application/json", "Content-Type": "application/json",
    "X-CSRFToken": document.querySelector("#import-page [name=csrfmiddlewaretoken]").value };
  return send(url, { method: "PUT", headers, body: JSON.stringify(body) });
}

async function send(url, options) {
  let response;
  try {
    response = await fetch(url, { ...options, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, null);
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

// Ask for the import every POLL_MS until it is over; `onState(state, {workerSilent, lost})`
// hears each answer. A lost answer is asked again; only a refusal (403, 404) ends the following.
export async function follow(state, onState) {
  let since = Date.now();
  let lost = false;
  for (let last = state.status; ; ) {
    if (state.status !== last) { last = state.status; since = Date.now(); }
    const workerSilent = state.status === "queued" && Date.now() - since > WORKER_SILENT_MS;
    onState(state, { workerSilent, lost });
    if (state.status === "done" || state.status === "failed") return state;
    await sleep(POLL_MS);
    try {
      state = await api("GET", state.url);
      lost = false;
    } catch (failure) {
      if (failure.status === 403 || failure.status === 404) return { status: "failed", error: failure.message };
      lost = true;
    }
  }
}
