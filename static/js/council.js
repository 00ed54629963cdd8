// The receipts page: a "print" button (<button data-print>). Served from our own static files: the
// Content Security Policy forbids inline scripts.
document.querySelectorAll("button[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
