// The assignment matrix (templates/indicators/assignments.html): an "all units"
// box per indicator, and one packed field on submit instead of a field per checked
// box (60 units × 15 indicators would pass Django's limit of 1,000 fields). Without
// JavaScript the boxes are posted one by one, which the server reads too.
(function () {
  "use strict";
  function boxes(column) {
    return document.querySelectorAll('input[name="cell"][data-kmt-col="' + column + '"]');
  }
  function syncColumn(toggle) {
    const all = Array.from(boxes(toggle.dataset.kmtAssignAll));
    const checked = all.filter(function (box) { return box.checked; }).length;
    toggle.checked = all.length > 0 && checked === all.length;
    toggle.indeterminate = checked > 0 && checked < all.length;
  }
  function toggles() {
    return document.querySelectorAll("input[data-kmt-assign-all]");
  }
  function setUp() {
    document.querySelectorAll("[data-kmt-assign-all-label]").forEach(function (label) {
      label.classList.remove("d-none");
    });
    toggles().forEach(syncColumn);
  }
  document.addEventListener("DOMContentLoaded", setUp);
  document.addEventListener("change", function (event) {
    const target = event.target;
    if (!target.matches) return;
    if (target.matches("input[data-kmt-assign-all]")) {
      boxes(target.dataset.kmtAssignAll).forEach(function (box) { box.checked = target.checked; });
    } else if (target.matches('input[name="cell"]')) {
      toggles().forEach(function (toggle) {
        if (toggle.dataset.kmtAssignAll === target.dataset.kmtCol) syncColumn(toggle);
      });
    }
  });
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches || !form.matches("form[data-kmt-assignments]")) return;
    const cells = form.querySelectorAll('input[name="cell"]');
    const packed = document.createElement("input");
    packed.type = "hidden";
    packed.name = "cells";
    packed.value = Array.from(cells)
      .filter(function (box) { return box.checked; })
      .map(function (box) { return box.value; })
      .join(",");
    form.appendChild(packed);
    cells.forEach(function (box) { box.disabled = true; });
  });
  // Coming back to the page from the browser's cache: the boxes as they were, usable.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll('form[data-kmt-assignments] input[name="cells"]').forEach(function (packed) {
      packed.remove();
    });
    document.querySelectorAll('form[data-kmt-assignments] input[name="cell"]').forEach(function (box) {
      box.disabled = false;
    });
  });
})();
