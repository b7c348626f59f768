// Buddhist-era date boxes (indicators/formfields.py ThaiDateInput, class "thai-date"):
// while typing digits, the slashes come by themselves (01 → 01/, 01/10 → 01/10/), and
// eight digits typed without them (01102566) become 01/10/2566 on leaving the box.
// Anything else (1 ต.ค. 2566) is left as typed: the server reads it.
(function () {
  "use strict";
  function isDateBox(element) {
    return element && element.classList && element.classList.contains("thai-date");
  }
  document.addEventListener("input", function (event) {
    const box = event.target;
    if (!isDateBox(box) || event.inputType !== "insertText") return;
    if (box.selectionStart !== box.value.length) return; // editing in the middle
    if (event.data === "/" && /\/\/$/.test(box.value)) {
      box.value = box.value.slice(0, -1); // the slash was already there
      return;
    }
    if (/^[0-9๐-๙]{2}$/.test(box.value) || /^[0-9๐-๙]{1,2}\/[0-9๐-๙]{2}$/.test(box.value)) {
      box.value += "/";
    }
  });
  document.addEventListener("focusout", function (event) {
    const box = event.target;
    if (!isDateBox(box)) return;
    const digits = box.value.trim();
    if (/^[0-9๐-๙]{8}$/.test(digits)) {
      box.value = digits.slice(0, 2) + "/" + digits.slice(2, 4) + "/" + digits.slice(4);
    }
  });
})();
