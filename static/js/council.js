// The council's pages. Served from our own static files: the Content Security Policy forbids inline scripts.

// The receipts page: a "print" button (<button data-print>).
document.addEventListener("click", (event) => {
  if (event.target.closest("button[data-print]")) {
    window.print();
  }
});

// In-place updates (htmx): a refused form (400 bad input, 409 the session's state) answers with the form
// again, its error shown on it — swap it like a success. Anything else that fails (403, 404, 5xx) has no
// part of the page to show: say so in the page's alert instead of leaving the click unanswered.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  if (status === 400 || status === 409) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
document.addEventListener("htmx:responseError", () => {
  const box = document.getElementById("htmx-error");
  if (box) {
    box.textContent = box.dataset.message;
    box.classList.remove("d-none");
    box.focus();
  }
});
document.addEventListener("htmx:afterRequest", (event) => {
  const box = document.getElementById("htmx-error");
  if (box && event.detail.successful) {
    box.classList.add("d-none");
  }
});
