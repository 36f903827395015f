// The "Copy link" button of a new share link (templates/documents/share_links.html). Without
// clipboard access (plain http on another host) the link is selected instead, ready for Ctrl+C.

function copyLink(button) {
  const input = document.getElementById(button.dataset.copy);
  input.select();
  const done = () => { button.textContent = "Copied"; };
  const selected = () => { button.textContent = "Selected: press Ctrl+C"; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, selected);
  } else {
    selected();
  }
}

for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", () => copyLink(button));
}
