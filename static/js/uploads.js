// Each chosen file is checked in the browser as soon as it is chosen (its extension against the input's
// `accept`, its size against data-max-bytes): a file that would be refused is named at once and the form
// cannot be sent until it is replaced, so the other files already chosen are never lost to a round trip.
// Listened to on the document, so a form htmx has just put in place is checked too.
// The server checks every file again, by its content (workflow.services.nominations.dossier_file_check).
"use strict";
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) {
    return;
  }
  var max = Number(input.dataset.maxBytes);
  var allowed = (input.accept || "").split(",").map(function (s) { return s.trim().toLowerCase(); })
    .filter(Boolean);
  var message = "";
  Array.prototype.forEach.call(input.files, function (file) {
    var name = file.name.toLowerCase();
    if (allowed.length && !allowed.some(function (ext) { return name.endsWith(ext); })) {
      message = input.dataset.msgType.replace("%s", file.name);
    } else if (file.size > max) {
      message = input.dataset.msgSize.replace("%s", file.name);
    }
  });
  input.setCustomValidity(message);
  if (message) { input.reportValidity(); }
});
