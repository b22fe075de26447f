// Public maps. django-leaflet fires "map:init"; we then add the services' pins.
(function () {
  "use strict";
  // SVG markers are DOM nodes (keyboard- and test-friendly); past this many, draw on a canvas.
  var SVG_LIMIT = 1000;

  function popup(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.name;  // text, never HTML: names come from users
    var org = document.createElement("div");
    org.textContent = props.organisation;
    box.appendChild(link);
    box.appendChild(org);
    return box;
  }

  function showList(map, box) {
    var asked = box.dataset.geojson;
    fetch(asked, { headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (asked !== box.dataset.geojson) return;  // the filters changed meanwhile
        if (box.pins) box.pins.remove();
        box.pins = L.layerGroup().addTo(map);
        var features = data.features || [];
        var renderer = features.length > SVG_LIMIT ? L.canvas({ padding: 0.5 }) : L.svg();
        var bounds = [];
        features.forEach(function (feature) {
          var c = feature.geometry.coordinates;
          var latlng = [c[1], c[0]];
          bounds.push(latlng);
          L.circleMarker(latlng, {
            renderer: renderer, radius: 7, weight: 2, color: "#fff", fillColor: "#0b57a4", fillOpacity: 0.9,
          }).bindPopup(popup(feature.properties)).addTo(box.pins);
        });
        box.dataset.markers = String(features.length);
        box.bounds = bounds;
        if (bounds.length) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
      });
  }

  window.addEventListener("map:init", function (event) {
    var map = event.detail.map;
    // Leaflet's zoom buttons are titled in English; the page gives them its language's words.
    [["in", document.body.dataset.zoomIn], ["out", document.body.dataset.zoomOut]].forEach(function (pair) {
      var button = map.getContainer().querySelector(".leaflet-control-zoom-" + pair[0]);
      if (button && pair[1]) { button.title = pair[1]; button.setAttribute("aria-label", pair[1]); }
    });
    var box = map.getContainer().closest(".map");
    if (!box) return;
    if (box.dataset.geojson) {
      showList(map, box);
      // portal.js changed the filters in place: draw the new list's pins.
      box.addEventListener("map:reload", function () {
        map.invalidateSize();
        showList(map, box);
      });
      // Unfolded on a phone: the map now has a size to fit the pins into.
      var fold = box.closest("details");
      if (fold) fold.addEventListener("toggle", function () {
        map.invalidateSize();
        if (fold.open && box.bounds && box.bounds.length) map.fitBounds(box.bounds, { padding: [24, 24], maxZoom: 16 });
      });
    } else if (box.dataset.point) {
      var point = box.dataset.point.split(",").map(Number);
      // Leaflet guesses its icons' folder from its stylesheet's address, which hashed static
      // file names break; the page says where they are.
      if (box.dataset.icons) L.Icon.Default.imagePath = box.dataset.icons;
      L.marker(point, { title: box.dataset.label, alt: box.dataset.label }).addTo(map);
      map.setView(point, 16);
      box.dataset.markers = "1";
    }
  });
})();
