// What the portal adds to Django's admin pages (templates/admin/base_site.html).
(function () {
  "use strict";
  // The many-to-many selector (SelectFilter2, drawn on load) names its filter icons with an
  // aria-label on a bare <span>, a name assistive technologies may ignore; as an image the
  // icon keeps it, and labels the filter box. Loaded with defer, this listener is added
  // after the selector's own, so it runs once the icons exist.
  window.addEventListener("load", function () {
    document.querySelectorAll("span.search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  });
})();
