// Django's admin, accessible names where its widgets leave none (our own tweak; Django is never patched).
// - The filter_horizontal picker (SelectFilter2.js, built on window "load") labels its search icon with a
//   bare <span aria-label>: aria-label is not allowed on a span without a role, so it gets role="img".
// - An autocomplete field (select2) shows a combobox and a text box without a name when it is empty:
//   they take the text of the field's <label>.
// - A split date and time (Person's last login) has its boxes named only by the text before them.
// Registered after Django's scripts, so this "load" listener runs after theirs.
"use strict";
(() => {
  const text = (label) => label.textContent.replace(/:\s*$/, "").trim();
  const mend = (root) => {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach((icon) => {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll("select.admin-autocomplete").forEach((select) => {
      const label = select.id ? document.querySelector(`label[for="${select.id}"]`) : null;
      const box = select.nextElementSibling;
      if (!label || !box || !box.classList.contains("select2")) {
        return;
      }
      label.id = label.id || `${select.id}-label`;
      const rendered = box.querySelector('[role="textbox"]');
      if (rendered && !rendered.hasAttribute("aria-label")) {
        rendered.setAttribute("aria-label", text(label));
      }
      const combobox = box.querySelector('[role="combobox"]');
      if (combobox && rendered && rendered.id) {
        combobox.setAttribute("aria-labelledby", `${label.id} ${rendered.id}`);  // "Cán bộ: <chosen>"
      }
    });
    // A split date and time (last login) labels its two boxes with plain text ("Ngày:", "Giờ:").
    root.querySelectorAll("p.datetime input").forEach((input) => {
      if (input.labels.length || input.hasAttribute("aria-label")) {
        return;
      }
      const before = input.previousSibling;
      const part = before && before.nodeType === Node.TEXT_NODE ? before.textContent.replace(/[:\s]+$/, "").trim() : "";
      const row = input.closest(".form-row");
      const field = row ? row.querySelector("label") : null;
      input.setAttribute("aria-label", [field ? text(field) : "", part].filter(Boolean).join(" — "));
    });
  };
  window.addEventListener("load", () => {
    // jQuery 3 runs its ready callbacks asynchronously, so select2 (autocomplete.js's ready callback) may
    // start after "load": a ready callback of ours, queued after theirs, runs after it in any case.
    const $ = window.django && window.django.jQuery;
    if ($) {
      $(() => mend(document));
    } else {
      mend(document);
    }
  });
  document.addEventListener("formset:added", (event) => window.setTimeout(() => mend(event.target)));
})();
