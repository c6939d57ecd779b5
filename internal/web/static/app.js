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

// Reference control set: "select all / none" per theme and the number of
// ticked controls beside the adopt button. Without this file the boxes are
// ticked one by one and the form works the same.
(function () {
  "use strict";
  var form = document.querySelector("[data-reference]");
  if (!form) return;
  var out = form.querySelector("[data-selected-count]");
  function update() {
    if (!out) return;
    out.hidden = false;
    out.querySelector("[data-n]").textContent = String(form.querySelectorAll("input[name=ids]:checked").length);
  }
  form.querySelectorAll("[data-ref-group]").forEach(function (group) {
    var actions = group.querySelector("[data-group-actions]");
    if (!actions) return;
    actions.hidden = false;
    actions.addEventListener("click", function (e) {
      var button = e.target.closest("[data-select]");
      if (!button) return;
      var on = button.getAttribute("data-select") === "all";
      group.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = on; });
      update();
    });
  });
  form.addEventListener("change", update);
  update();
})();
