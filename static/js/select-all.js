// A "select all" box: <input type="checkbox" data-select-all="<css selector of the boxes>">. Listened for on
// the document, so a box that htmx swapped into the page works as well as one it was loaded with.
// Served from our own static files: the Content Security Policy forbids inline scripts.
document.addEventListener("change", (event) => {
  const master = event.target.closest("input[data-select-all]");
  if (!master) {
    return;
  }
  document.querySelectorAll(master.dataset.selectAll).forEach((box) => {
    box.checked = master.checked;
  });
});
