// The matrix page's forms after a change made on it: each edit answers with its own section only, so the
// other sections' forms would still carry the version the page was drawn at, and their next save would be
// refused as if someone else had changed the matrix. The answer names the new version (HX-Trigger
// "matrix-version", web/matrix_edits.py); every form that follows it takes it. A form refused as out of date
// does not follow (it has no data-matrix-version): it waits for a reload that shows the other change.
(function () {
  "use strict";
  document.addEventListener("matrix-version", function (event) {
    var version = event.detail && event.detail.version;
    if (!Number.isSafeInteger(version)) return;
    document.querySelectorAll("input[data-matrix-version]").forEach(function (input) {
      input.value = String(version);
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
