// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Filters apply as soon as a box is ticked; the "Apply filters" button stays for keyboards
    // and for browsers without JavaScript.
    // On phones the filter panel starts folded so the results come first, unless filters are on.
    var panel = document.querySelector(".filters-panel");
    var narrow = window.matchMedia("(max-width: 899px)");
    if (panel) {
      if (narrow.matches && !panel.hasAttribute("data-active")) panel.open = false;
      // Wide screens hide the toggle, so the panel must be open there.
      narrow.addEventListener("change", function (event) { if (!event.matches) panel.open = true; });
    }
    var filters = document.getElementById("list-filters");
    if (filters) {
      filters.addEventListener("change", function (event) {
        var type = event.target.type;
        if (type === "checkbox" || type === "radio" || event.target.tagName === "SELECT") filters.submit();
      });
    }
    document.querySelectorAll(".copy-link").forEach(function (button) {
      button.addEventListener("click", function () {
        var input = document.getElementById(button.dataset.target);
        var status = document.querySelector(".copy-status");
        input.select();
        var done = function () { if (status) status.textContent = button.dataset.copied; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
        } else {
          document.execCommand("copy");
          done();
        }
      });
    });
    // Back to the visitor's own filtered results, when they came from the list.
    document.querySelectorAll(".back-to-results").forEach(function (link) {
      if (!document.referrer) return;
      var from = new URL(document.referrer);
      var list = new URL(link.href);
      if (from.origin === location.origin && from.pathname === list.pathname) {
        link.href = from.href;
        link.textContent = link.dataset.results;
      }
    });
    document.querySelectorAll(".print-page").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
