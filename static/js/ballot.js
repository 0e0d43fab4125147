// A ballot's taps are sent only with "Submit my ballot": a phone that locks, or reclaims the tab, reloads
// the page with none of them. So they are kept in this browser (localStorage, never sent anywhere) under
// the ballot they were made on (data-draft: session, round and the version the page showed), and brought
// back when that same ballot is drawn again, with a note saying so. A ballot sent since (a new version),
// a new round or a closed session draws a different one, and the kept taps are dropped.
(function () {
  "use strict";
  var PREFIX = "optionsmatrix:ballot-draft:";
  var FIELD = /^(s\.\d+\.\d+|w\.\d+|why\.\d+)$/;

  function store() {
    try { return window.localStorage; } catch (e) { return null; } // storage may be switched off
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (field) { return FIELD.test(field.name); });
  }

  function keyOf(form) {
    var draft = form.getAttribute("data-draft") || "";
    return { slot: PREFIX + draft.split(":")[0], draft: draft };
  }

  function save(form) {
    var storage = store();
    if (!storage) return;
    var values = {};
    fields(form).forEach(function (field) {
      if (field.type === "radio") { if (field.checked) values[field.name] = field.value; }
      else values[field.name] = field.value;
    });
    var key = keyOf(form);
    try { storage.setItem(key.slot, JSON.stringify({ draft: key.draft, values: values })); } catch (e) { /* full */ }
  }

  function bringBack(form) {
    var storage = store();
    if (!storage) return;
    var key = keyOf(form);
    var kept = null;
    try { kept = JSON.parse(storage.getItem(key.slot) || "null"); } catch (e) { kept = null; }
    if (!kept || kept.draft !== key.draft) { storage.removeItem(key.slot); return; }
    var changed = false;
    fields(form).forEach(function (field) {
      var value = field.name in kept.values ? kept.values[field.name] : null; // null: no scale button was on
      if (field.type === "radio") {
        var on = field.value === value;
        if (field.checked !== on) { field.checked = on; changed = true; }
      } else if (value !== null && field.value !== value) { field.value = value; changed = true; }
    });
    if (!changed) return;
    var note = document.createElement("p");
    note.className = "notice sc-draft-note";
    note.setAttribute("role", "status");
    note.textContent = "Your taps not yet sent were kept on this device and are back. Submit your ballot to send them.";
    form.insertBefore(note, form.firstChild);
    form.dispatchEvent(new Event("change", { bubbles: true })); // the counts follow (static/js/scoring.js)
  }

  function start() {
    var form = document.querySelector("form.sc-ballot[data-draft]");
    if (!form) return;
    bringBack(form);
    form.addEventListener("input", function () { save(form); });
    form.addEventListener("change", function () { save(form); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
