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
  // EDITED_CELLS_HEADER): the ranking, those cells and the counts, for the grid as it was drawn
  // (DRAWN_HEADER: the matrix's version then; an edit made elsewhere brings the whole section back).
  // Each cell changed is named until an answer asked for after it has been swapped in, so an answer
  // overtaken by a later request loses nothing; and after a change to anything else (a weight, the
  // method) every request asks for the whole section until one asked for after it has been swapped in.
  var edited = {}; // score field name -> the number of its latest change
  var changes = 0; // every change to the form, counted
  var wholeWanted = 0; // the number of the latest change to a field other than a score
  var wholeDrawn = 0; // the changes counted when the last whole section swapped in was asked for
  function noteChange(event) {
    var field = event.target;
    if (!field.form || field.form.id !== "scoring-form" || !field.name) return;
    if (/^s\.\d+\.\d+$/.test(field.name)) edited[field.name] = ++changes;
    else wholeWanted = ++changes;
  }
  // Capturing, so that a change is counted before htmx, listening on the form, asks for its answer.
  document.addEventListener("input", noteChange, true);
  document.addEventListener("change", noteChange, true);
  function scoringRequest(ctx) {
    var source = ctx && ctx.sourceElement;
    return source && (source.id === "scoring-form" || source.id === "scoring-refresh");
  }
  document.addEventListener("htmx:config:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (!scoringRequest(ctx)) return;
    var trigger = ctx.sourceElement.id === "scoring-form" && ctx.sourceEvent && ctx.sourceEvent.target;
    var live = Boolean(trigger && edited[trigger.name]) && wholeWanted <= wholeDrawn;
    var covered = {};
    Object.keys(edited).forEach(function (name) { covered[name] = edited[name]; });
    ctx.scoring = { asked: changes, covered: covered, whole: !live };
    if (live) {
      ctx.request.headers["Scoring-Edited"] = Object.keys(covered).join(" ");
      ctx.request.headers["Scoring-Drawn"] = ctx.sourceElement.getAttribute("data-sc-drawn") || "";
    }
  });
  document.addEventListener("htmx:finally:request", function (event) {
    var ctx = event.detail && event.detail.ctx;
    if (!scoringRequest(ctx) || !ctx.scoring || ctx.status !== "swapped") return;
    Object.keys(ctx.scoring.covered).forEach(function (name) {
      if (edited[name] === ctx.scoring.covered[name]) delete edited[name]; // not changed again since
    });
    if (ctx.scoring.whole) wholeDrawn = Math.max(wholeDrawn, ctx.scoring.asked);
  });

  document.addEventListener("htmx:after:swap", restore);
  phone.addEventListener("change", restore);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
})();
