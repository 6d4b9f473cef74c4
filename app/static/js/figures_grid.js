// The monthly figures grid, by keyboard as in a spreadsheet: Enter and the arrow keys move between
// cells (left and right once the caret is at the text's edge), Enter in the last row and
// Ctrl+Enter anywhere save (the form's own submit, so the server checks everything); a block
// copied from Excel (tab-separated cells, one line a row) pasted into a cell fills the cells from
// that one rightwards and down, as typed text: the server reads the decimal commas. Without this
// script the grid is a plain form of text inputs and Enter saves it.
(function () {
  "use strict";

  function table(form) {
    var rows = [];
    form.querySelectorAll("table.figures-grid tbody tr").forEach(function (tr) {
      rows.push(Array.prototype.slice.call(tr.querySelectorAll("input.cell")));
    });
    return rows;
  }

  function position(rows, input) {
    for (var r = 0; r < rows.length; r++) {
      var c = rows[r].indexOf(input);
      if (c >= 0) { return [r, c]; }
    }
    return null;
  }

  function go(rows, r, c) {
    if (r < 0 || r >= rows.length || c < 0 || c >= rows[r].length) { return false; }
    rows[r][c].focus();
    rows[r][c].select();
    return true;
  }

  function blockOf(text) {
    var lines = text.replace(/\r\n?/g, "\n").split("\n");
    while (lines.length && lines[lines.length - 1] === "") { lines.pop(); }  // Excel ends with a newline
    return lines.map(function (line) { return line.split("\t").map(function (c) { return c.trim(); }); });
  }

  function submit(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.figures-form");
    if (!form) { return; }
    var rows = table(form);
    var status = document.getElementById("grid-status");
    // The autofocused cell (focused by koordi.js, before the browser's own autofocus) has its
    // value selected, so typing replaces it and an arrow key moves on at once.
    var first = form.querySelector("input.cell[autofocus]");
    if (first && document.activeElement === first) { first.select(); }

    form.addEventListener("focusin", function (event) {
      if (event.target.matches("input.cell")) { event.target.select(); }
    });

    form.addEventListener("keydown", function (event) {
      var input = event.target;
      if (!input.matches("input.cell")) { return; }
      var at = position(rows, input);
      if (!at) { return; }
      var r = at[0], c = at[1];
      var key = event.key;
      if (key === "Enter") {
        if (event.ctrlKey || event.metaKey) { event.preventDefault(); submit(form); return; }
        var next = event.shiftKey ? r - 1 : r + 1;
        if (next >= rows.length && !event.shiftKey) { return; }  // the last row: the form's own submit
        event.preventDefault();
        go(rows, next, c);
      } else if (key === "ArrowDown" || key === "ArrowUp") {
        if (go(rows, key === "ArrowDown" ? r + 1 : r - 1, c)) { event.preventDefault(); }
      } else if (key === "ArrowLeft" || key === "ArrowRight") {
        var all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
        var edge = key === "ArrowLeft" ? input.selectionEnd === 0 : input.selectionStart === input.value.length;
        if ((all || edge) && go(rows, r, key === "ArrowLeft" ? c - 1 : c + 1)) { event.preventDefault(); }
      }
    });

    form.addEventListener("paste", function (event) {
      var input = event.target;
      if (!input.matches("input.cell") || !event.clipboardData) { return; }
      var block = blockOf(event.clipboardData.getData("text/plain") || "");
      if (block.length < 2 && (block[0] || []).length < 2) { return; }  // one value: the input's own paste
      var at = position(rows, input);
      if (!at) { return; }
      event.preventDefault();
      var filled = 0;
      block.forEach(function (cells, i) {
        var row = rows[at[0] + i];
        if (!row) { return; }
        cells.forEach(function (text, j) {
          var cell = row[at[1] + j];
          if (cell) { cell.value = text; filled++; }
        });
      });
      if (status) { status.textContent = form.getAttribute("data-filled").replace("__N__", String(filled)); }
    });
  });
})();
