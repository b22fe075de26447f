// The organisation filter as an ARIA 1.2 combobox. Without JavaScript the box is a plain
// text field and the server matches the typed name; with it, suggestions come from
// members:suggest, arrow keys move through them, Enter or a click picks one, Escape
// closes the list, and the form then sends the organisation's slug.
(function () {
  "use strict";
  document.querySelectorAll(".typeahead[data-suggest]").forEach(function (box, index) {
    var input = box.querySelector("input");
    var form = input.form;
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var options = [];
    var active = -1;
    var timer = null;
    var asked = "";

    list.id = "typeahead-list-" + index;
    list.className = "typeahead-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.querySelector("label").textContent);
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", list);  // drops down from the box, over the hint
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.dataset.label = input.dataset.slug ? input.value : "";

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(next) {
      if (!options.length) return;
      active = (next + options.length) % options.length;
      Array.prototype.forEach.call(list.children, function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", list.children[active].id);
      list.children[active].scrollIntoView({ block: "nearest" });
    }

    function pick(option) {
      input.value = option.name;
      input.dataset.slug = option.slug;
      input.dataset.label = option.name;
      close();
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }

    function show(results) {
      options = results;
      list.textContent = "";
      results.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = option.name;  // text, never HTML: names come from users
        item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(option); });
        list.appendChild(item);
      });
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      status.textContent = results.length
        ? box.dataset.count.replace("{count}", results.length)
        : box.dataset.none;
    }

    function suggest() {
      var query = input.value.trim();
      if (query === asked) return;
      asked = query;
      if (!query) { show([]); status.textContent = ""; return; }
      fetch(box.dataset.suggest + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { if (query === asked) show(data.results || []); })
        .catch(function () { show([]); });
    }

    input.addEventListener("input", function () {
      delete input.dataset.slug;
      clearTimeout(timer);
      timer = setTimeout(suggest, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden && options.length) show(options);  // reopen after Escape or blur
        else if (list.hidden) suggest();
        if (!list.hidden) highlight(active + 1);
      }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && !list.hidden && active >= 0) { event.preventDefault(); pick(options[active]); }
      else if (event.key === "Escape" && !list.hidden) { event.preventDefault(); close(); }
    });
    input.addEventListener("blur", close);
    // Send the slug, not the name, for an organisation picked from the suggestions (on
    // submit and when portal.js reads the form to update the results in place).
    form.addEventListener("formdata", function (event) {
      if (input.dataset.slug && input.value === input.dataset.label) event.formData.set(input.name, input.dataset.slug);
    });
  });
})();
