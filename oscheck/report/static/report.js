/* oscheck compliance report: filters and sorting without a server, and details opened for printing.
   Reads only data-* attributes the page itself carries; inserts text with textContent only. */
(function () {
  "use strict";

  function rowsOf(table) {
    return Array.prototype.slice.call(table.tBodies[0].rows);
  }

  function sortTable(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute("data-type") === "num";
    var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
    Array.prototype.forEach.call(th.parentNode.children, function (other) {
      if (other !== th && other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
    });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    var rows = rowsOf(table);
    rows.sort(function (a, b) {
      var ca = a.cells[index], cb = b.cells[index];
      var va = ca.getAttribute("data-value"), vb = cb.getAttribute("data-value");
      if (va === null) va = ca.textContent.trim();
      if (vb === null) vb = cb.textContent.trim();
      if (numeric) return sign * ((parseFloat(va) || 0) - (parseFloat(vb) || 0));
      return sign * va.localeCompare(vb, document.documentElement.lang);
    });
    var body = table.tBodies[0];
    rows.forEach(function (r) { body.appendChild(r); });
  }

  function setupSorting() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
      Array.prototype.forEach.call(table.querySelectorAll("th[aria-sort]"), function (th) {
        var button = th.querySelector("button.sort");
        if (button) button.addEventListener("click", function () { sortTable(table, th); });
      });
    });
  }

  function setupFilters() {
    var form = document.getElementById("filters");
    var table = document.getElementById("portfolio-table");
    if (!form || !table) return;
    var controls = form.querySelectorAll("[data-filter]");
    var count = document.getElementById("shown-count");
    function apply() {
      var shown = 0, rows = rowsOf(table);
      rows.forEach(function (row) {
        var visible = true;
        Array.prototype.forEach.call(controls, function (c) {
          var key = c.getAttribute("data-filter"), want = c.value.trim().toLowerCase();
          if (!want) return;
          var have = (row.getAttribute("data-" + key) || "").toLowerCase();
          if (key === "text" ? have.indexOf(want) < 0 : have !== want) visible = false;
        });
        row.classList.toggle("hidden", !visible);
        if (visible) shown += 1;
      });
      if (count) count.textContent = count.getAttribute("data-template")
        .replace("{shown}", String(shown)).replace("{total}", String(rows.length));
    }
    Array.prototype.forEach.call(controls, function (c) {
      c.addEventListener("input", apply);
      c.addEventListener("change", apply);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-set-filter]"), function (a) {
      a.addEventListener("click", function (ev) {
        var parts = a.getAttribute("data-set-filter").split("=");
        var control = form.querySelector('[data-filter="' + parts[0] + '"]');
        if (control) { ev.preventDefault(); control.value = parts[1]; apply(); table.scrollIntoView(); }
      });
    });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    apply();
  }

  function setupPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) {
        d.setAttribute("open", ""); opened.push(d);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.removeAttribute("open"); });
      opened = [];
    });
    Array.prototype.forEach.call(document.querySelectorAll("button[data-print]"), function (b) {
      b.addEventListener("click", function () { window.print(); });
    });
  }

  document.documentElement.classList.add("js");
  setupSorting();
  setupFilters();
  setupPrint();
})();
