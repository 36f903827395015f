// Talking to the REST API (docs/api.md, docs/evidence.md) with the browser's session: unsafe
// requests carry the CSRF token, taken from the page (the cookie may be HttpOnly).

export class ApiError extends Error {
  constructor(status, body) {
    super(errorText(status, body));
    this.status = status;
    this.body = body || {};
  }

  // {field: [messages]} of a 400, else {}.
  get fields() {
    return this.status === 400 ? this.body : {};
  }
}

function errorText(status, body) {
  if (status === 0) return "Could not reach the server; nothing was saved. Try again.";
  if (body?.detail) return body.detail;
  if (status === 400) return "Some fields need a change.";
  if (status === 404) return "It is no longer there.";
  return `The server answered ${status}.`;
}

function csrfToken() {
  const field = document.querySelector("#evidence-panel [name=csrfmiddlewaretoken]");
  if (field) return field.value;
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  return cookie ? decodeURIComponent(cookie.split("=")[1]) : "";
}

// `body`: an object (sent as JSON), FormData (multipart, for pictures) or nothing.
export async function api(method, url, body = null, { key = null } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (key) headers["Idempotency-Key"] = key;
  if (body && !(body instanceof FormData)) headers["Content-Type"] = "application/json";
  const payload = body && !(body instanceof FormData) ? JSON.stringify(body) : body;
  let response;
  try {
    response = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, null);
  }
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const newKey = () => `ev-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
