// A "select all" box: <input type="checkbox" data-select-all="<css selector of the boxes>">.
// Served from our own static files: the Content Security Policy forbids inline scripts.
document.querySelectorAll("input[data-select-all]").forEach((master) => {
  master.addEventListener("change", () => {
    document.querySelectorAll(master.dataset.selectAll).forEach((box) => {
      box.checked = master.checked;
    });
  });
});
