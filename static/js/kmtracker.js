// Warn before leaving a page with unsaved text: any form marked
// data-kmt-guard counts as dirty once edited, clean again once the browser
// submits it or once htmx saved it successfully.
(function () {
  "use strict";
  let dirty = new Set();
  document.addEventListener("input", function (event) {
    const form = event.target.closest("form[data-kmt-guard]");
    if (form) dirty.add(form);
  });
  // A plain submit leaves the page, so the text goes with it. htmx cancels the
  // submit event of the forms it sends itself (on the form, before this handler):
  // those stay dirty until the reply says it worked, so that a 500, a 403 or a
  // lost connection does not leave the text unprotected.
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented) dirty.delete(event.target);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    const elt = event.detail.elt;
    const form = elt && elt.closest && elt.closest("form[data-kmt-guard]");
    if (form && event.detail.successful) dirty.delete(form);
  });
  // A form the server sends back with the user's text still unsaved (after an
  // edit conflict, or a save refused because the assessment was submitted
  // meanwhile) is dirty from the start.
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

// A refused htmx request (403: the SAR was submitted meanwhile, say) is not
// swapped in by htmx; show its Thai reason at the top of the page instead,
// so the user knows why nothing changed (their text stays in the form).
document.addEventListener("htmx:responseError", function (event) {
  const xhr = event.detail.xhr;
  const page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
  const reason = page.getElementById("kmt-error-message");
  const main = document.querySelector("main");
  if (!reason || !main) return;
  const alert = document.createElement("div");
  alert.className = "alert alert-warning alert-dismissible fade show";
  alert.setAttribute("role", "alert");
  alert.textContent = reason.textContent.trim();
  const close = document.createElement("button");
  close.type = "button";
  close.className = "btn-close";
  close.setAttribute("data-bs-dismiss", "alert");
  alert.appendChild(close);
  main.prepend(alert);
  alert.scrollIntoView({ block: "nearest" });
});
