// A filter box over a long checkbox list (issue 13: 36 services, ~50 target groups).
// Without JavaScript the box stays hidden and the whole list is shown.
(function () {
  "use strict";
  function setUp(list) {
    var box = list.querySelector("[data-checkbox-filter-input]");
    var wrap = list.querySelector("[data-checkbox-filter-wrap]");
    var status = list.querySelector("[data-checkbox-filter-status]");
    if (!box || !wrap) { return; }
    wrap.hidden = false;
    var items = list.querySelectorAll(".form-group-checkbox");
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        var input = item.querySelector("input");
        var match = !q || item.textContent.toLowerCase().indexOf(q) !== -1 || (input && input.checked);
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      if (status) { status.textContent = shown + " af " + items.length + " vises"; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-checkbox-filter]").forEach(setUp);
  });
})();
