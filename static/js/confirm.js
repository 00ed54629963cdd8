// Ask before an irreversible action: <form data-confirm="question"> (or a submit button carrying
// data-confirm) shows the question, and the form is sent only when the user agrees.
// Served from our own static files: the Content Security Policy forbids inline scripts.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const question = (button && button.dataset.confirm) || form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
