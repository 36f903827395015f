// The PDF export page (templates/documents/export.html): each of your exports still waiting or
// rendering asks the API for its state until it is over, then offers its download in place.
// A lost answer is asked again; a refusal (403, 404) ends the following.

const POLL_MS = 700;
const WORKER_SILENT_MS = 15_000; // queued this long: the background worker does not seem to run
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function size(bytes) {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}

function show(item, state, workerSilent) {
  item.dataset.status = state.status;
  const label = workerSilent
    ? `${state.status_label}: the background worker does not seem to be running`
    : state.status_label;
  item.querySelector(".export-status").textContent = label;
  if (state.status === "done" && !item.querySelector(".export-download")) {
    const link = element("a", "button small export-download", "Download PDF");
    link.href = state.file_url;
    link.setAttribute("download", "");
    const pages = `${state.pages} page${state.pages === 1 ? "" : "s"}, ${size(state.size)}`;
    item.append(link, " ", element("span", "export-about", pages));
  }
  if (state.status === "failed" && state.error && !item.querySelector(".export-error")) {
    item.append(" ", element("span", "export-error", state.error));
  }
}

async function ask(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (response.status === 403 || response.status === 404) return null;
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  return response.json();
}

async function follow(item) {
  const since = Date.now();
  for (;;) {
    await sleep(POLL_MS);
    let state;
    try {
      state = await ask(item.dataset.url);
    } catch {
      continue; // lost: ask again
    }
    if (state === null) return;
    show(item, state, state.status === "queued" && Date.now() - since > WORKER_SILENT_MS);
    if (state.status !== "queued" && state.status !== "rendering") return;
  }
}

for (const item of document.querySelectorAll(".export-item[data-final=false]")) follow(item);
