// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  // A list's filters update its results in place: ticking a box changes no context (WCAG
  // 3.2.2), focus stays where it was, and the count is announced by its live region. Text
  // fields apply on Enter or "Apply filters"; without JavaScript the form simply submits.
  function liveFilters(form) {
    var panel = document.getElementById("filter-panel");
    var status = form.querySelector(".result-count");
    var sheetCount = form.querySelector(".sheet-count");
    var results = document.getElementById("results");
    var shown = location.href;
    var latest = 0;

    function target() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) { if (value !== "") params.append(name, value); });
      var query = params.toString();
      return form.action.split("?")[0] + (query ? "?" + query : "");
    }

    function swap(fresh) {
      form.querySelectorAll("[data-swap]").forEach(function (block) {
        var next = fresh.querySelector('[data-swap="' + block.dataset.swap + '"]');
        block.innerHTML = next ? next.innerHTML : "";
      });
      form.querySelectorAll(".map[data-geojson]").forEach(function (box) {
        var next = fresh.querySelector(".map[data-geojson]");
        var section = box.closest("section");
        var nextSection = next && next.closest("section");
        if (section) section.hidden = !nextSection || nextSection.hidden;
        if (next && next.dataset.geojson !== box.dataset.geojson) {
          box.dataset.geojson = next.dataset.geojson;
          box.dispatchEvent(new CustomEvent("map:reload"));
        }
      });
      var count = fresh.querySelector(".result-count").textContent;
      if (status.textContent !== count) status.textContent = count;
      sheetCount.textContent = count;
    }

    function update(then) {
      var url = target();
      if (url === shown) { if (then) then(); return; }
      var ticket = ++latest;
      results.setAttribute("aria-busy", "true");
      fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          if (ticket !== latest) return;  // a later change is on its way
          var fresh = new DOMParser().parseFromString(html, "text/html");
          // A field error is shown by the whole page, with what was typed kept.
          if (!fresh.getElementById("list-filters") || fresh.querySelector(".filter-errors, .field-error")) {
            location.assign(url);
            return;
          }
          swap(fresh);
          document.title = fresh.title;
          history.replaceState(null, "", url);
          shown = url;
          results.removeAttribute("aria-busy");
          if (then) then();
        })
        .catch(function () { location.assign(url); });
    }

    sheetCount.textContent = status.textContent;
    // The sheet covers the page on a phone: start inside it, at its heading.
    panel.addEventListener("toggle", function (event) {
      if (event.newState !== "open") return;
      var title = document.getElementById("filters-title");
      title.setAttribute("tabindex", "-1");
      title.focus();
    });
    // While it covers the page, Tab and Shift+Tab go round the sheet, not behind it.
    panel.addEventListener("keydown", function (event) {
      if (event.key !== "Tab" || !panel.matches(":popover-open")) return;
      var stops = Array.prototype.filter.call(
        panel.querySelectorAll("a[href], button, input, select, textarea, summary"),
        function (el) { return !el.disabled && el.offsetParent !== null; }
      );
      var first = stops[0], last = stops[stops.length - 1];
      if (event.shiftKey && (document.activeElement === first || document.activeElement === panel.querySelector("#filters-title"))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    form.addEventListener("change", function (event) {
      var type = event.target.type;
      if (type === "checkbox" || type === "radio" || event.target.tagName === "SELECT") update();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      // On a phone "Apply" closes the sheet; focus goes back to "Filters", above the results.
      update(function () { if (panel.hidePopover && panel.matches(":popover-open")) panel.hidePopover(); });
    });
    // A box ticked while the page was still loading (before this ran) applies now.
    var early = Array.prototype.some.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      if (el.tagName === "SELECT") {  // without a `selected` option, the first one is the default
        var first = Array.prototype.find.call(el.options, function (o) { return o.defaultSelected; });
        first = first || el.options[0];
        return Boolean(first) && el.value !== first.value;
      }
      return false;
    });
    if (early) update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A form came back with errors: start at its summary, which links to each field.
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
    var filters = document.getElementById("list-filters");
    if (filters && window.fetch && window.DOMParser && window.history.replaceState) liveFilters(filters);
    // Listened for on the document: a list's filters replace its copy buttons in place.
    document.addEventListener("click", function (event) {
      var button = event.target.closest(".copy-link");
      if (!button) return;
      var input = document.getElementById(button.dataset.target);
      var box = button.closest(".share, .calendar-feed") || document;
      var status = box.querySelector(".copy-status");
      input.select();
      var done = function () { if (status) status.textContent = button.dataset.copied; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
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
