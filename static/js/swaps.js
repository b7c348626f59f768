// What a keyboard or screen-reader user needs around htmx's in-place swaps and
// around plain form posts: focus lands where the user works, the outcome is read
// out, busy buttons cannot be pressed twice, uploads show their progress, and
// files dropped onto a criterion's evidence are uploaded.
(function () {
  "use strict";
  const FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), " +
    "textarea:not([disabled]), button:not([disabled]), a[href], [tabindex]";

  // --- Focus -------------------------------------------------------------
  // Taken when the request starts: hx-disabled-elt disables the pressed button
  // while the request runs, and a disabled element loses focus.
  let before = null;
  let requester = null;
  let swapping = false;
  let loaded = [];

  document.addEventListener("htmx:beforeRequest", function (event) {
    const active = document.activeElement;
    before = active && active !== document.body ? active : null;
    requester = event.detail.elt;
  });
  document.addEventListener("htmx:beforeSwap", function () {
    swapping = true;
    loaded = [];
  });
  // htmx fires htmx:load on every piece of new content (the swapped block and
  // any out-of-band parts) before htmx:afterSettle.
  document.addEventListener("htmx:load", function (event) {
    if (swapping) loaded.push(event.detail.elt);
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!swapping) return;
    swapping = false;
    const roots = loaded.filter(function (elt) { return elt.nodeType === 1 && document.body.contains(elt); });
    loaded = [];
    if (roots.length === 0) return;
    announce(roots, requester && requester.getAttribute("data-kmt-done"));
    placeFocus(roots);
    before = null;
    requester = null;
  });
  // Nothing swapped (refused request, lost connection): give the focus back.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) return;
    window.setTimeout(function () {
      if (before && document.body.contains(before) && !before.disabled && lost()) before.focus();
    }, 0);
  });

  function lost() {
    const active = document.activeElement;
    return !active || active === document.body || !document.body.contains(active);
  }

  function find(roots, selector) {
    for (const root of roots) {
      if (root.matches(selector)) return root;
      const found = root.querySelector(selector);
      if (found) return found;
    }
    return null;
  }

  // The first field of a form that opened, or the element itself when it can
  // take focus (an item made focusable with tabindex="-1").
  function focusable(elt) {
    if (elt.matches(FIELDS)) return elt;
    return elt.querySelector(FIELDS) || elt;
  }

  // The same control in the new content: same id, or same kind, name, value,
  // form and text (a save button that was swapped out with its form).
  function twin(roots, old) {
    if (old.id) {
      const same = document.getElementById(old.id);
      if (same && same !== old) return same;
    }
    const action = function (elt) {
      const form = elt.closest("form");
      return form ? form.getAttribute("action") : null;
    };
    for (const root of roots) {
      const candidates = [root].concat(Array.from(root.querySelectorAll(old.tagName)));
      for (const elt of candidates) {
        if (elt.tagName === old.tagName && !elt.disabled &&
            elt.getAttribute("name") === old.getAttribute("name") &&
            elt.getAttribute("value") === old.getAttribute("value") &&
            elt.getAttribute("href") === old.getAttribute("href") &&
            action(elt) === action(old) &&
            elt.textContent.trim() === old.textContent.trim()) {
          return elt;
        }
      }
    }
    return null;
  }

  function placeFocus(roots) {
    const invalid = find(roots, ".is-invalid, [aria-invalid=true]");
    const asked = find(roots, "[data-kmt-focus]");
    let target = invalid || (asked && focusable(asked));
    // Nothing was focused when the request started (a poll, a page read without
    // the keyboard): the focus is not moved to the new content.
    if (!target && before && lost()) {
      if (before && document.body.contains(before) && !before.disabled) {
        target = before;
      } else {
        target = (before && twin(roots, before)) || roots[0];
      }
    }
    roots.forEach(function (root) {
      root.querySelectorAll("[data-kmt-focus]").forEach(function (elt) { elt.removeAttribute("data-kmt-focus"); });
    });
    if (!target) return;
    if (!target.matches(FIELDS)) target.setAttribute("tabindex", "-1");
    target.focus();
  }

  // --- Announcements -----------------------------------------------------
  // The outcome a swap shows on screen (a saved note, an error) is read out
  // through the one polite live region of the page (base.html); a control whose
  // answer shows no such note says what it did in data-kmt-done, read out when
  // the answer shows no error.
  const TROUBLE = "[role=alert], .is-invalid, .invalid-feedback, .text-danger";
  function announce(roots, done) {
    const region = document.getElementById("kmt-live");
    if (!region) return;
    const texts = [];
    if (done && !find(roots, TROUBLE)) texts.push(done);
    roots.forEach(function (root) {
      if (root.closest("[aria-live]")) return; // announces itself (the report job's progress)
      const parts = [root].concat(Array.from(root.querySelectorAll("[role=status], [role=alert], .invalid-feedback")));
      parts.forEach(function (elt) {
        if (elt !== root || elt.matches("[role=status], [role=alert]")) {
          const text = elt.textContent.replace(/\s+/g, " ").trim();
          if (text && texts.indexOf(text) < 0) texts.push(text);
        }
      });
    });
    if (texts.length === 0) return;
    // Emptied first so that the same message twice in a row is read twice.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = texts.join(" "); }, 50);
  }

  // In-page jump links (per-criterion navigation): move the focus, not only the
  // view, so that the next Tab continues inside the criterion.
  document.addEventListener("click", function (event) {
    const link = event.target.closest && event.target.closest("a[data-kmt-jump]");
    if (!link) return;
    const target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    target.setAttribute("tabindex", "-1");
    target.focus();
    target.scrollIntoView({ block: "start" });
    window.history.replaceState(null, "", link.getAttribute("href"));
  });

  // --- Plain form posts --------------------------------------------------
  // A form that leaves the page (or opens a new tab) disables its submit
  // buttons so that a second press does not send it twice. Disabled a tick
  // later: a disabled submitter would drop its own name=value from the post.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented || form.method.toLowerCase() !== "post") return;
    window.setTimeout(function () {
      const buttons = form.querySelectorAll("button[type=submit]:not([disabled]), input[type=submit]:not([disabled])");
      buttons.forEach(function (button) {
        button.disabled = true;
        button.setAttribute("data-kmt-busy", "");
        button.setAttribute("aria-busy", "true");
      });
      // A new tab (or a download) leaves this page as it is: the buttons come back
      // shortly, or after a while in case the answer was a file.
      window.setTimeout(function () { release(form); }, form.target ? 3000 : 15000);
    }, 0);
  });
  function release(root) {
    root.querySelectorAll("[data-kmt-busy]").forEach(function (button) {
      button.disabled = false;
      button.removeAttribute("data-kmt-busy");
      button.removeAttribute("aria-busy");
    });
  }
  // Back to a page from the browser's cache: its buttons work again.
  window.addEventListener("pageshow", function () { release(document); });

  // --- Uploads -----------------------------------------------------------
  // <progress data-kmt-upload-progress> inside an htmx form shows how much of
  // the files has gone up.
  document.addEventListener("htmx:xhr:progress", function (event) {
    const form = event.target.closest && event.target.closest("form");
    const bar = form && form.querySelector("progress[data-kmt-upload-progress]");
    if (!bar || !event.detail.lengthComputable || !event.detail.total) return;
    bar.hidden = false;
    bar.value = Math.round((100 * event.detail.loaded) / event.detail.total);
  });

  // <div data-kmt-drop="form.selector">: files dropped onto it go into the
  // file input of that form (opened first with the element marked
  // data-kmt-drop-open when needed) and the form is sent.
  function uploadForm(zone) {
    return zone.querySelector(zone.getAttribute("data-kmt-drop"));
  }
  function sendFiles(form, files) {
    const input = form.querySelector("input[type=file]");
    if (!input) return;
    input.files = files;
    form.requestSubmit();
  }
  document.addEventListener("dragover", function (event) {
    const zone = event.target.closest && event.target.closest("[data-kmt-drop]");
    if (!zone || !event.dataTransfer || Array.from(event.dataTransfer.types).indexOf("Files") < 0) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    zone.classList.add("kmt-drop-over");
  });
  document.addEventListener("dragleave", function (event) {
    const zone = event.target.closest && event.target.closest("[data-kmt-drop]");
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("kmt-drop-over");
  });
  document.addEventListener("drop", function (event) {
    const zone = event.target.closest && event.target.closest("[data-kmt-drop]");
    if (!zone || !event.dataTransfer || event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    zone.classList.remove("kmt-drop-over");
    const files = event.dataTransfer.files;
    const form = uploadForm(zone);
    if (form) {
      sendFiles(form, files);
      return;
    }
    const opener = zone.querySelector("[data-kmt-drop-open]");
    if (!opener) return;
    const id = zone.id;
    document.addEventListener("htmx:afterSettle", function opened() {
      const fresh = document.getElementById(id);
      const freshForm = fresh && uploadForm(fresh);
      if (!freshForm) return;
      document.removeEventListener("htmx:afterSettle", opened);
      sendFiles(freshForm, files);
    });
    opener.click();
  });
})();
