// gouji HTML report: filters, search, and linking findings with their cells.
// Everything works without this script except the filters; it needs no network.
(function () {
  "use strict";
  var root = document.documentElement;
  window.addEventListener("error", function (e) {
    root.setAttribute("data-errors", (root.getAttribute("data-errors") || "") + (e.message || "error") + "\n");
  });
  var strings = JSON.parse(document.getElementById("gouji-strings").textContent);
  var page = document.getElementById("page");
  var main = document.getElementById("reports");
  // The overview and the filters are written last (they need every report); show them first.
  ["filters", "overview"].forEach(function (id) {
    var el = document.getElementById(id);
    if (el) page.insertBefore(el, page.firstChild);
  });

  var sections = Array.prototype.slice.call(main.querySelectorAll("section.report"));
  var texts = new Map();
  function text(el) {
    var t = texts.get(el);
    if (t === undefined) { t = el.textContent.toLowerCase(); texts.set(el, t); }
    return t;
  }
  function value(id) {
    var el = document.getElementById(id);
    return el ? el.value.trim() : "";
  }
  function apply() {
    var rule = value("f-rule"), sev = value("f-sev"), agency = value("f-agency"), q = value("f-q").toLowerCase();
    var shown = 0;
    sections.forEach(function (s) {
      var head = text(s.querySelector(".rh"));
      var okAgency = !agency || (s.getAttribute("data-agency") || "").indexOf(agency) >= 0;
      var visible = {};
      var any = false;
      s.querySelectorAll("li.f").forEach(function (li) {
        var ok = okAgency &&
          (!rule || li.getAttribute("data-rule") === rule) &&
          (!sev || li.getAttribute("data-sev") === sev) &&
          (!q || head.indexOf(q) >= 0 || text(li).indexOf(q) >= 0);
        li.hidden = !ok;
        if (ok) { visible[li.id] = true; any = true; }
      });
      s.hidden = !any;
      if (any) shown++;
      s.querySelectorAll(".mk").forEach(function (c) {
        var on = (c.getAttribute("data-f") || "").split(" ").some(function (id) { return visible[id]; });
        c.classList.toggle("off", !on);
      });
    });
    var out = document.getElementById("f-shown");
    if (out) out.textContent = strings.shown.replace("{shown}", String(shown));
    var none = document.getElementById("nomatch");
    if (none) none.hidden = shown > 0 || sections.length === 0;
  }
  // Filters can be given in the address, to share a view: report.html?rule=table3/row-total&sev=error
  var params = new URLSearchParams(window.location.search);
  var filtered = false;
  [["rule", "f-rule"], ["sev", "f-sev"], ["agency", "f-agency"], ["q", "f-q"]].forEach(function (p) {
    var el = document.getElementById(p[1]);
    if (!el) return;
    if (params.get(p[0]) !== null) { el.value = params.get(p[0]); filtered = true; }
    el.addEventListener("input", apply);
  });
  document.querySelectorAll("a.rulelink").forEach(function (a) {
    a.addEventListener("click", function () {
      var sel = document.getElementById("f-rule");
      if (sel) { sel.value = a.getAttribute("data-rule"); apply(); }
    });
  });

  // A finding and its cells light up together.
  function cellsOf(li) {
    var s = li.closest("section");
    return s ? Array.prototype.filter.call(s.querySelectorAll(".mk"), function (c) {
      return (c.getAttribute("data-f") || "").split(" ").indexOf(li.id) >= 0;
    }) : [];
  }
  function focus(li, on) {
    li.classList.toggle("focus", on);
    cellsOf(li).forEach(function (c) { c.classList.toggle("focus", on); });
  }
  // One listener each for the whole page, however many reports it has.
  var focused = null;
  main.addEventListener("mouseover", function (e) {
    var li = e.target.closest ? e.target.closest("li.f") : null;
    if (li === focused) return;
    if (focused) focus(focused, false);
    focused = li;
    if (li) focus(li, true);
  });
  main.addEventListener("click", function (e) {
    var c = e.target.closest ? e.target.closest(".mk") : null;
    if (!c) return;
    var first = (c.getAttribute("data-f") || "").split(" ")[0];
    var li = first && document.getElementById(first);
    if (li) {
      li.scrollIntoView({ block: "nearest", behavior: "smooth" });
      focus(li, true);
      setTimeout(function () { focus(li, false); }, 1500);
    }
  });

  // Print everything: folded tables open while printing.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.more"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
  });
  // Unfiltered, the page is already as written: nothing to recompute on a large page.
  if (filtered) apply();
  root.setAttribute("data-ready", "1");
})();
