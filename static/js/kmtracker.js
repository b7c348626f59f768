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

// Behaviours that templates ask for with data attributes, because the
// Content-Security-Policy allows no inline script (no onchange="…", no hx-on,
// no javascript: links) and no inline style.
(function () {
  "use strict";
  // <select data-kmt-autosubmit>: choosing an option sends its form (a <noscript>
  // button does it without JavaScript).
  document.addEventListener("change", function (event) {
    const field = event.target.closest && event.target.closest("[data-kmt-autosubmit]");
    if (field && field.form) field.form.requestSubmit();
  });
  // <form data-kmt-reset-on-success>: emptied once htmx saved it.
  document.addEventListener("htmx:afterRequest", function (event) {
    const elt = event.detail.elt;
    if (event.detail.successful && elt && elt.matches && elt.matches("form[data-kmt-reset-on-success]")) {
      elt.reset();
    }
  });
  // <a data-kmt-back href="…">: back to the previous page when there is one,
  // else the link's own address.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a[data-kmt-back]");
    if (link && window.history.length > 1 && document.referrer) {
      event.preventDefault();
      window.history.back();
    }
  });
  // <div data-kmt-progress="40">: a progress bar's width (CSSOM, which the policy allows).
  function showProgress(root) {
    root.querySelectorAll("[data-kmt-progress]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.kmtProgress) || 0)) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { showProgress(document); });
  document.addEventListener("htmx:load", function (event) { showProgress(event.detail.elt); });
})();
