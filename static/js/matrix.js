// The matrix page's forms after a change made on it: each edit answers with its own section only, so the
// other sections' forms would still carry the version the page was drawn at, and their next save would be
// refused as if someone else had changed the matrix. The answer names the step its write took (HX-Trigger
// "matrix-version" {from, to}, web/matrix_edits.py): a form drawn at `from` showed the matrix as the write
// found it, and takes `to`. A form drawn at any other version (before someone else's change) keeps its own
// and is refused on save, as is one refused already (it has no data-matrix-version): it waits for a reload.
(function () {
  "use strict";
  document.addEventListener("matrix-version", function (event) {
    var step = event.detail || {};
    if (!Number.isSafeInteger(step.from) || !Number.isSafeInteger(step.to)) return;
    document.querySelectorAll("input[data-matrix-version]").forEach(function (input) {
      if (input.value === String(step.from)) input.value = String(step.to);
    });
  });
})();

// "How sure is this?" beside the ranking points to the section below the grid, and opens it (its toggle loads it).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href="#how-sure"]');
    var section = link && document.getElementById("how-sure");
    if (section && !section.open) section.open = true;
  });
})();
