// vigie report: sorting and filtering of the observatory table. The table is complete without
// this script; state lives in the URL fragment (#sort=COL&dir=desc&q=…&operateur=…&ministere=…).
(function () {
  "use strict";
  var table = document.getElementById("observatoire");
  var form = document.getElementById("filtres");
  if (!table || !form) { return; }
  var tbody = table.tBodies[0];
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var rows = Array.prototype.slice.call(tbody.rows);
  var q = document.getElementById("f-q");
  var op = document.getElementById("f-operateur");
  var mi = document.getElementById("f-ministere");
  var status = document.getElementById("f-etat");
  var state = { sort: "", dir: "asc" };

  function norm(s) {
    return (s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function key(row, i) {
    var v = row.cells[i].getAttribute("data-sort") || row.cells[i].textContent;
    v = v.trim();
    return /^-?\d+(\.\d+)?$/.test(v) ? { n: parseFloat(v) } : { t: norm(v) };
  }
  function compare(a, b) {
    if (a.n !== undefined && b.n !== undefined) { return a.n - b.n; }
    if (a.n !== undefined) { return -1; }
    if (b.n !== undefined) { return 1; }
    return a.t < b.t ? -1 : a.t > b.t ? 1 : 0;
  }
  function apply() {
    var idx = -1;
    headers.forEach(function (h, i) {
      if (h.getAttribute("data-col") === state.sort) {
        idx = i;
        h.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
      } else {
        h.removeAttribute("aria-sort");
      }
    });
    var sorted = rows.slice();
    if (idx >= 0) {
      sorted.sort(function (a, b) {
        var c = compare(key(a, idx), key(b, idx));
        return state.dir === "desc" ? -c : c;
      });
    }
    var text = norm(q.value), o = op.value, m = mi.value, shown = 0;
    sorted.forEach(function (r) {
      var ok = (!text || norm(r.textContent).indexOf(text) >= 0) &&
        (!o || r.getAttribute("data-operateur") === o) &&
        (!m || r.getAttribute("data-ministere") === m);
      r.hidden = !ok;
      if (ok) { shown += 1; }
      tbody.appendChild(r);
    });
    status.textContent = shown + " démarche(s) affichée(s) sur " + rows.length + ".";
    var p = new URLSearchParams();
    if (state.sort) { p.set("sort", state.sort); p.set("dir", state.dir); }
    if (q.value) { p.set("q", q.value); }
    if (o) { p.set("operateur", o); }
    if (m) { p.set("ministere", m); }
    var h = p.toString();
    if (history.replaceState) { history.replaceState(null, "", h ? "#" + h : location.pathname); }
  }
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    state.sort = p.get("sort") || "";
    state.dir = p.get("dir") === "desc" ? "desc" : "asc";
    q.value = p.get("q") || "";
    op.value = p.get("operateur") || "";
    mi.value = p.get("ministere") || "";
    if (op.value !== (p.get("operateur") || "")) { op.value = ""; }
    if (mi.value !== (p.get("ministere") || "")) { mi.value = ""; }
  }
  headers.forEach(function (h) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = h.textContent;
    h.textContent = "";
    h.appendChild(b);
    b.addEventListener("click", function () {
      var col = h.getAttribute("data-col");
      state.dir = state.sort === col && state.dir === "asc" ? "desc" : "asc";
      state.sort = col;
      apply();
    });
  });
  [q, op, mi].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  readHash();
  apply();
  document.documentElement.setAttribute("data-js", "pret");
}());
