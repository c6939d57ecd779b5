// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Requirement picker: keep the "n selected" counts in step with the ticks.
  function recount(col) {
    var total = 0;
    col.querySelectorAll("[data-section]").forEach(function (sec) {
      var n = sec.querySelectorAll("input[type=checkbox]:checked").length;
      total += n;
      var out = sec.querySelector("[data-count]");
      if (out) out.textContent = String(n);
    });
    var head = col.querySelector(".picker-head [data-count]");
    if (head) head.textContent = String(total);
  }
  document.querySelectorAll("[data-picker]").forEach(function (col) {
    col.addEventListener("change", function () { recount(col); });
  });

  // Menus built on <details>: close on Escape or on a click elsewhere.
  var menus = document.querySelectorAll("details.orgmenu");
  document.addEventListener("click", function (e) {
    menus.forEach(function (m) {
      if (m.open && !m.contains(e.target)) m.open = false;
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    menus.forEach(function (m) {
      if (m.open) {
        m.open = false;
        m.querySelector("summary").focus();
      }
    });
  });

  // Printing shows every collapsed section, then restores them.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("main details:not([open])").forEach(function (d) {
      d.open = true;
      reopened.push(d);
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (d) { d.open = false; });
    reopened = [];
  });
})();
