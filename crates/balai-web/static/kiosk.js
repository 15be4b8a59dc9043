// The kiosk (anjungan): the on-screen numeric keypad for NIK and PIN,
// going back to the welcome screen (logging out) after inactivity, and
// printing the queue ticket.
(function () {
  "use strict";
  var active = null;
  function pads(form) {
    return Array.prototype.slice.call(form.querySelectorAll("input[inputmode=none]"));
  }
  function full(f) {
    return f.maxLength > 0 && f.value.length >= f.maxLength;
  }
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("input[inputmode=none]")) active = e.target;
  });
  document.addEventListener("click", function (e) {
    var key = e.target.closest && e.target.closest(".k-key");
    if (!key) return;
    var list = pads(key.closest("form"));
    if (!list.length) return;
    if (list.indexOf(active) < 0) active = list.filter(function (f) { return !full(f); })[0] || list[0];
    var k = key.getAttribute("data-key");
    if (k === "ok") {
      // Move to the next empty field; submit once all are filled.
      var next = list.filter(function (f) { return !f.value; })[0];
      if (next) { e.preventDefault(); active = next; next.focus(); }
      return;
    }
    e.preventDefault();
    if (k === "hapus") active.value = active.value.slice(0, -1);
    else if (!full(active)) active.value += k;
    if (full(active) && list.indexOf(active) + 1 < list.length) active = list[list.indexOf(active) + 1];
    active.focus();
  });

  var body = document.body;
  var timer = null;
  // Read on every touch, so the page (or a test) can shorten the wait.
  function idle() { return parseInt(body.getAttribute("data-idle") || "0", 10) * 1000; }
  function reset() {
    clearTimeout(timer);
    if (idle() <= 0) return;
    timer = setTimeout(function () {
      var out = document.getElementById("k-logout");
      if (out) out.submit();
      else if (location.pathname !== body.getAttribute("data-home")) location.href = body.getAttribute("data-home");
    }, idle());
  }
  ["click", "touchstart", "keydown", "input"].forEach(function (ev) {
    document.addEventListener(ev, reset, true);
  });
  reset();

  if (document.querySelector("[data-autoprint]")) {
    window.addEventListener("load", function () { setTimeout(function () { window.print(); }, 300); });
  }
})();
