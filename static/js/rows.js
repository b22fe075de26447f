// "Add a row" on an entry form's child rows (core/entry_form.html): the empty row kept in a
// <template> is copied in place, numbered, and the keyboard moves into it. Without
// JavaScript the same button sends the form back one row longer, nothing lost.
(function () {
  "use strict";
  document.querySelectorAll("[data-rows]").forEach(function (box) {
    var prefix = box.dataset.rows;
    var total = box.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var template = box.querySelector("template");
    var rows = box.querySelector(".rows");
    var button = box.querySelector('button[name="add_row"]');
    if (!total || !template || !rows || !button) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var index = Number(total.value);
      rows.insertAdjacentHTML(
        "beforeend",
        template.innerHTML.replace(/__prefix__/g, index).replace(/__number__/g, index + 1)
      );
      total.value = index + 1;
      var first = rows.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  });
})();
