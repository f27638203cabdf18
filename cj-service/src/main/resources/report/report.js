(function () {
  "use strict";
  var table = document.getElementById("essays");
  var heads = table.tHead.rows[0].cells;
  function value(row, i, numeric) {
    var t = row.cells[i].textContent.trim();
    if (!numeric) { return t.toLowerCase(); }
    var v = parseFloat(t);
    return isNaN(v) ? -Infinity : v;
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    th.addEventListener("click", function () {
      var numeric = th.getAttribute("data-type") === "num";
      var dir = th.getAttribute("data-sort") === "asc" ? "desc" : "asc";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("data-sort"); });
      th.setAttribute("data-sort", dir);
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = value(a, i, numeric), y = value(b, i, numeric);
        var c = x < y ? -1 : x > y ? 1 : 0;
        return dir === "asc" ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  // CSV from the table itself, so the page carries the data once. Cells that a spreadsheet would run as a
  // formula are prefixed with a quote (OWASP CSV injection).
  function cell(s) {
    if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) { s = "'" + s; }
    return /[",\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function own(c) {
    var first = c.firstChild;
    return (first && first.nodeType === 3 ? first.nodeValue : c.textContent).trim();
  }
  var names = Array.prototype.map.call(heads, function (h) { return cell(h.textContent.trim()); });
  var lines = [names.concat(["anchor", "misfit"]).join(",")];
  Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
    var cells = Array.prototype.map.call(r.cells, function (c) { return cell(own(c)); });
    cells.push(r.className.indexOf("anchor") >= 0 ? "true" : "false");
    cells.push(r.querySelector(".misfit") ? "true" : "false");
    lines.push(cells.join(","));
  });
  document.getElementById("csv").href = "data:text/csv;charset=utf-8," + encodeURIComponent(lines.join("\n") + "\n");
  document.body.setAttribute("data-ready", "1");
}());
