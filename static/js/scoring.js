// The scoring component on a phone: one option at a time, "next option", the settings panel folded.
// Progressive: without this file every option stays on the page and the form submits as it is.
// htmx morphs the component on every answer and would reset these classes, so they are put back
// after each swap from what is remembered here. Only classes change (the CSP forbids inline styles).
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var phone = window.matchMedia("(max-width: 63.99rem)");
  var current = null; // the option id shown on a phone
  var settingsOpen = null; // the settings panel's state as the visitor left it

  function grid() { return document.querySelector("[data-sc-grid]"); }

  function show(optionId) {
    var table = grid();
    if (!table) return;
    var cells = table.querySelectorAll("[data-option]");
    var found = false;
    cells.forEach(function (cell) { if (cell.getAttribute("data-option") === optionId) found = true; });
    if (!found) return;
    current = optionId;
    cells.forEach(function (cell) {
      cell.classList.toggle("is-current", cell.getAttribute("data-option") === optionId);
    });
  }

  function restore() {
    if (current) show(current);
    var panel = document.querySelector("[data-sc-settings]");
    if (panel) {
      if (!phone.matches) panel.open = true;
      else if (settingsOpen !== null) panel.open = settingsOpen;
      else panel.open = false;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-sc-go]") : null;
    if (!button) return;
    event.preventDefault();
    show(button.getAttribute("data-sc-go"));
    var heading = document.getElementById("sc-opt-" + current);
    if (heading) {
      heading.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
    }
  });

  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches("[data-sc-settings]") && phone.matches) {
      settingsOpen = event.target.open;
    }
  }, true);

  // A ballot is not re-rendered as it is filled in (explore mode is, by htmx): count the scored cells here,
  // so "3 of 8 scored" and the sticky bar's total follow each tap.
  function recount(form) {
    var filled = {};
    form.querySelectorAll('input[name^="s."]').forEach(function (input) {
      var done = input.type === "radio" ? input.checked : input.value.trim() !== "";
      filled[input.name] = filled[input.name] || done;
    });
    var total = 0, scored = 0, perOption = {}, perOptionTotal = {};
    Object.keys(filled).forEach(function (name) {
      var option = name.split(".")[1];
      total += 1;
      perOptionTotal[option] = (perOptionTotal[option] || 0) + 1;
      if (filled[name]) { scored += 1; perOption[option] = (perOption[option] || 0) + 1; }
    });
    var bar = form.querySelector(".sc-bar-progress");
    if (bar) bar.textContent = scored + " of " + total + " scored";
    var pending = form.querySelector(".sc-filled-count");
    if (pending) pending.textContent = scored + " of " + total;
    form.querySelectorAll("th.sc-opt[data-option] .sc-progress").forEach(function (progress) {
      var option = progress.closest("[data-option]").getAttribute("data-option");
      progress.textContent = progress.textContent.replace(/\d+ of \d+ scored\s*$/,
        (perOption[option] || 0) + " of " + (perOptionTotal[option] || 0) + " scored");
    });
  }

  document.addEventListener("change", function (event) {
    var form = event.target.closest ? event.target.closest("form.sc") : null;
    if (form) recount(form);
  });

  // Explore mode: when a score is typed or tapped, ask for only what scores change (web/scoring/view.py
  // EDITED_CELLS_HEADER): the ranking, those cells and the counts. Each cell changed is named until an
  // answer sent after it has been swapped in, so an answer overtaken by a later request loses nothing.
  // Anything else (the weights, the method, "Rank") asks for the whole section, as before.
  var edited = {}; // field name -> the number of its latest change
  var keystrokes = 0;
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.form && input.form.id === "scoring-form" && /^s\.\d+\.\d+$/.test(input.name)) {
      edited[input.name] = ++keystrokes;
    }
  });
  document.addEventListener("htmx:config:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.sourceElement || ctx.sourceElement.id !== "scoring-form") return;
    var names = Object.keys(edited);
    var typing = ctx.sourceEvent && ctx.sourceEvent.target && edited[ctx.sourceEvent.target.name];
    ctx.scoringEdited = {}; // what this answer will cover, typed in or drawn whole
    names.forEach(function (name) { ctx.scoringEdited[name] = edited[name]; });
    if (typing) ctx.request.headers["Scoring-Edited"] = names.join(" ");
  });
  document.addEventListener("htmx:finally:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.sourceElement || ctx.sourceElement.id !== "scoring-form" || ctx.status !== "swapped") return;
    Object.keys(ctx.scoringEdited).forEach(function (name) {
      if (edited[name] === ctx.scoringEdited[name]) delete edited[name]; // not typed in again since
    });
  });

  document.addEventListener("htmx:after:swap", restore);
  phone.addEventListener("change", restore);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
})();
