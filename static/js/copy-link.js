// The "Copy link" buttons of a page's links (the workshop page's invites, a map's new share
// link): each names its field in data-copy. Without clipboard access (plain http on another
// host) the link is selected instead, ready for Ctrl+C.

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
