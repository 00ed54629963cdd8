// Ask before an irreversible action: <form data-confirm="question"> (or a submit button carrying
// data-confirm) shows the question, and the form is sent only when the user agrees.
// A form htmx sends in place (hx-post) is asked through htmx's own `htmx:confirm` event, which holds the
// request until the answer; its submit event then arrives here already taken (defaultPrevented).
// Served from our own static files: the Content Security Policy forbids inline scripts.
"use strict";
function confirmQuestion(form, button) {
  return (button && button.dataset && button.dataset.confirm) || (form && form.dataset && form.dataset.confirm);
}
document.addEventListener("submit", (event) => {
  if (event.defaultPrevented) {
    return;
  }
  const question = confirmQuestion(event.target, event.submitter);
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("htmx:confirm", (event) => {
  const element = event.detail.elt;
  const form = element.tagName === "FORM" ? element : element.closest("form");
  const question = confirmQuestion(form, null);
  if (!question) {
    return;
  }
  event.preventDefault();
  if (window.confirm(question)) {
    event.detail.issueRequest(true);
  }
});
