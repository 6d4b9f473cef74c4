// The survey entry grid: a block of counts pasted from Excel or a survey tool's summary table fills
// the table's cells in the page, and each item's total is kept beside it (red when above the
// number answered). It reads the block as app/surveys/paste.py does; a block it cannot read
// whole is left to the server ("Fill the table" sends the form, and the problems come back
// named by line and column). Without this script the same button does it all on the server.
(function () {
  "use strict";
  var COUNT = /^\d{1,9}$/;
  var SPACES = /[ \u00a0\u202f]/g;
  var ITEM_PREFIX = /^[\s.:)\]\u2013-]/;
  var SKIPPED = ["yhteensä", "yht.", "yht", "summa", "vastaajia", "vastauksia", "vastaukset", "vastaajat", "keskiarvo",
    "ka", "ka.", "keskihajonta", "mediaani", "totalt", "antal", "antal svar", "svarande", "medelvärde", "medeltal",
    "standardavvikelse", "median", "total", "sum", "n", "count", "respondents", "answers", "mean", "average", "std",
    "std. dev."];

  function normalise(text) {
    return (text || "").normalize("NFC").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function countOf(cell) {
    var plain = cell.replace(SPACES, "");
    if (!plain) { return 0; }
    return COUNT.test(plain) ? parseInt(plain, 10) : null;
  }

  function splitRows(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n");
    var tab = lines.some(function (l) { return l.indexOf("\t") >= 0; });
    var semi = !tab && lines.some(function (l) { return l.indexOf(";") >= 0; });
    var rows = [];
    lines.forEach(function (line) {
      var cells = tab ? line.split("\t") : semi ? line.split(";") : line.trim().split(/\s+/);
      cells = cells.map(function (c) { return c.trim().replace(/^"+|"+$/g, "").trim(); });
      // Empty cells at a row's end stay: Excel copies them as trailing tabs.
      if (cells.some(function (c) { return c; })) { rows.push(cells); }
    });
    return rows;
  }

  function itemFinder(grid) {
    var byKey = {};
    var codes = Object.keys(grid.items);
    codes.forEach(function (code) {
      grid.items[code].forEach(function (key) {
        byKey[key] = (byKey[key] === undefined || byKey[key] === code) ? code : null;
      });
    });
    codes.forEach(function (code) { byKey[normalise(code)] = code; });
    var prefixes = codes.map(function (c) { return [normalise(c), c]; })
      .sort(function (a, b) { return b[0].length - a[0].length; });
    return function (cell) {
      var key = normalise(cell);
      if (byKey[key]) { return byKey[key]; }
      for (var i = 0; i < prefixes.length; i++) {
        var p = prefixes[i][0];
        if (key.indexOf(p) === 0 && ITEM_PREFIX.test(key.slice(p.length))) { return prefixes[i][1]; }
      }
      return null;
    };
  }

  // {code: {option: count}} for the whole block, or null when any cell is in doubt.
  function parse(text, grid) {
    var rows = splitRows(text);
    if (!rows.length) { return null; }
    var find = itemFinder(grid);
    var labels = grid.labels;
    var isNumber = function (c) { return countOf(c) !== null; };
    var dataRows = rows.length > 1 ? rows.slice(1) : rows;
    var named = dataRows.some(function (cells) { return cells[0] && !isNumber(cells[0]); });
    var first = named ? 1 : 0;
    var cells0 = rows[0];
    var rest = cells0.slice(first).filter(function (c) { return c; });
    var texts = rest.filter(function (c) { return !isNumber(c); });
    var header;
    if (texts.length) {
      header = texts.length === rest.length || texts.some(function (c) {
        var k = normalise(c); return labels[k] !== undefined || SKIPPED.indexOf(k) >= 0;
      });
    } else if (named && !cells0[0]) {
      header = true;
    } else if (named && find(cells0[0]) === null) {
      header = rest.length > 0 && rest.every(function (c) { return labels[normalise(c)] !== undefined; });
    } else {
      header = false;
    }
    var columns;
    if (header) {
      columns = [];
      var seen = {};
      for (var i = first; i < cells0.length; i++) {
        var key = normalise(cells0[i]);
        if (!key || SKIPPED.indexOf(key) >= 0) { columns.push(null); continue; }
        var code = labels[key];
        if (code === undefined || grid.options.indexOf(code) < 0 || seen[code]) { return null; }
        seen[code] = true;
        columns.push(code);
      }
    } else {
      columns = grid.options.slice();
    }
    var body = header ? rows.slice(1) : rows;
    var codes = Object.keys(grid.ids);
    if (!named && body.length !== codes.length) { return null; }
    var counts = {};
    for (var r = 0; r < body.length; r++) {
      var row = body[r];
      var item = named ? (row[0] ? find(row[0]) : null) : codes[r];
      if (!item || counts[item]) { return null; }
      var values = row.slice(first);
      var filled = values.length;
      while (filled && !values[filled - 1]) { filled--; }
      if (filled > columns.length) { return null; }
      values = values.slice(0, columns.length);
      if (!header && values.length < columns.length) { return null; }
      var got = {};
      grid.options.forEach(function (o) { got[o] = 0; });
      for (var c = 0; c < values.length; c++) {
        if (columns[c] === null) { continue; }
        var n = countOf(values[c]);
        if (n === null || n > 100000) { return null; }
        got[columns[c]] = n;
      }
      counts[item] = got;
    }
    return counts;
  }

  function updateTotal(form, row) {
    var answered = Number(form.getAttribute("data-answered"));
    var total = 0, any = false, ok = true;
    row.querySelectorAll("input.cell").forEach(function (input) {
      var v = input.value.trim();
      if (!v) { return; }
      any = true;
      var n = countOf(v);
      if (n === null) { ok = false; } else { total += n; }
    });
    var cell = row.querySelector("td.total");
    if (!cell) { return; }
    cell.textContent = any && ok ? String(total) : "\u2013";
    var over = any && ok && total > answered;
    cell.classList.toggle("over", over);
    cell.title = over ? form.getAttribute("data-over") : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.entry-form");
    if (!form) { return; }
    form.querySelectorAll("tr[data-item]").forEach(function (row) {
      row.addEventListener("input", function () { updateTotal(form, row); });
    });
    form.querySelectorAll("section[data-grid]").forEach(function (section) {
      var grid;
      try { grid = JSON.parse(section.getAttribute("data-grid")); } catch (e) { return; }
      var k = section.getAttribute("data-section");
      var area = document.getElementById("paste-" + k);
      var status = document.getElementById("paste-" + k + "-status");
      var button = section.querySelector("button[data-fill]");

      function fill() {
        var counts = parse(area.value, grid);
        if (!counts) { return false; }
        Object.keys(counts).forEach(function (code) {
          var id = grid.ids[code];
          Object.keys(counts[code]).forEach(function (option) {
            var input = form.querySelector('input[name="c-' + id + "-" + option + '"]');
            if (input) { input.value = String(counts[code][option]); }
          });
          var row = document.getElementById("row-" + id);
          if (row) { updateTotal(form, row.parentNode); }
        });
        area.value = ""; // filled: Save sends the table, not the block again
        if (status) { status.textContent = status.getAttribute("data-filled"); }
        return true;
      }

      if (button) {
        button.addEventListener("click", function (event) {
          // Nothing in the box: it was filled already on paste (or there is nothing to send).
          if (!area.value.trim() || fill()) { event.preventDefault(); }
        });
      }
      if (area) {
        area.addEventListener("paste", function () { window.setTimeout(fill, 0); });
        area.addEventListener("input", function () { if (status) { status.textContent = ""; } });
      }
    });
  });
})();
