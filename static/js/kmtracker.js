// Warn before leaving a page with unsaved text: any form marked
// data-kmt-guard counts as dirty once edited, clean again once submitted
// or saved by htmx.
(function () {
  "use strict";
  let dirty = new Set();
  document.addEventListener("input", function (event) {
    const form = event.target.closest("form[data-kmt-guard]");
    if (form) dirty.add(form);
  });
  document.addEventListener("submit", function (event) {
    dirty.delete(event.target);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt.closest && event.detail.elt.closest("form[data-kmt-guard]");
    if (form && event.detail.successful) dirty.delete(form);
  });
  // A form the server sends back with the user's text still unsaved (e.g. after
  // an edit conflict) is dirty from the start.
  function markUnsaved(root) {
    root.querySelectorAll("form[data-kmt-guard][data-kmt-unsaved]").forEach(function (form) {
      dirty.add(form);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { markUnsaved(document); });
  document.addEventListener("htmx:load", function (event) { markUnsaved(event.detail.elt); });
  window.addEventListener("beforeunload", function (event) {
    dirty.forEach(function (form) {
      if (!document.body.contains(form)) dirty.delete(form);
    });
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
