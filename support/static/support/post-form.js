// The post form asks for languages only while a kind of support about a language
// (interpretation, translation) is ticked. Without JavaScript they are always shown; the
// server requires them for those kinds alone and drops them for the others.
(function () {
  "use strict";
  var languages = document.getElementById("id_languages");
  var about = document.querySelectorAll("input[data-needs-language]");
  if (!languages || !about.length) return;
  var field = languages.closest(".form-field") || languages;

  function update() {
    field.hidden = !Array.prototype.some.call(about, function (box) { return box.checked; });
  }

  about.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
