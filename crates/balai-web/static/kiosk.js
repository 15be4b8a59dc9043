// The kiosk (anjungan): the on-screen numeric keypad for NIK and PIN, the
// on-screen keyboard for the letter form's few typed fields, going back to
// the welcome screen (logging out) after inactivity, and printing the queue
// ticket. Everything here is an enhancement: without it the forms are
// ordinary inputs and buttons that still post.
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

  // The on-screen keyboard: shown for the typed field that has the focus;
  // the OS keyboard is kept away (inputmode=none) only once this runs.
  var osk = document.getElementById("osk");
  var form = osk && osk.closest("form");
  if (form) {
    var typed = Array.prototype.slice.call(form.querySelectorAll("input[data-osk]"));
    var shiftKey = osk.querySelector("[data-osk-key=shift]");
    var target = null;
    var shift = false;
    var caps = function (on) {
      shift = on;
      osk.classList.toggle("osk-shift", on);
      shiftKey.setAttribute("aria-pressed", on ? "true" : "false");
    };
    var show = function (field) {
      target = field;
      osk.hidden = false;
      form.classList.add("osk-open");
      typed.forEach(function (f) { f.classList.toggle("osk-target", f === field); });
      // A sentence starts with a capital letter.
      caps(!field.value);
      field.scrollIntoView({ block: "nearest" });
    };
    var hide = function () {
      target = null;
      osk.hidden = true;
      form.classList.remove("osk-open");
      typed.forEach(function (f) { f.classList.remove("osk-target"); });
    };
    typed.forEach(function (f) {
      f.setAttribute("inputmode", "none");
      f.addEventListener("focus", function () { show(f); });
    });
    // Keys must not take the focus from the field being typed.
    osk.addEventListener("mousedown", function (e) { e.preventDefault(); });
    osk.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest("button");
      if (!b || !target) return;
      e.preventDefault();
      var k = b.getAttribute("data-osk-key");
      if (k === "shift") { caps(!shift); return; }
      if (k === "hide") { target.blur(); hide(); return; }
      var v = target.value;
      var start = target.selectionStart === null ? v.length : target.selectionStart;
      var end = target.selectionEnd === null ? v.length : target.selectionEnd;
      if (k === "back") {
        if (start === end && start > 0) start -= 1;
        target.setRangeText("", start, end, "end");
      } else {
        var ch = k === "space" ? " " : b.getAttribute("data-ch");
        if (shift) ch = ch.toUpperCase();
        if (target.maxLength > 0 && v.length - (end - start) >= target.maxLength) return;
        target.setRangeText(ch, start, end, "end");
        if (shift) caps(false);
      }
      target.dispatchEvent(new Event("input", { bubbles: true }));
      target.focus();
    });

    // The purpose: a chosen one hides the text box; "other" opens it with the keyboard.
    var box = form.querySelector("[data-purpose-text]");
    if (box) {
      var other = box.getAttribute("data-purpose-text");
      var text = box.querySelector("input");
      var sync = function () {
        var c = form.querySelector("input[name=keperluan_pilihan]:checked");
        box.hidden = !!c && c.value !== other;
        if (box.hidden && target === text) hide();
        return c;
      };
      form.addEventListener("change", function (e) {
        if (e.target.name !== "keperluan_pilihan") return;
        var c = sync();
        if (c && c.value === other) text.focus();
      });
      text.addEventListener("focus", function () {
        var o = form.querySelector("input[name=keperluan_pilihan][value='" + other + "']");
        if (o) o.checked = true;
      });
      sync();
    }
  }

  // A refused form opens at its first problem, so the reason is on screen.
  var problem = document.querySelector(".k-scroll .has-error");
  if (problem) problem.scrollIntoView({ block: "start" });

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
