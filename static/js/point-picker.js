// Admin point picker: a Leaflet map bound to the latitude and longitude inputs.
(function () {
  "use strict";
  function init(box) {
    var lat = document.getElementById(box.dataset.latitudeId);
    var lng = document.getElementById(box.dataset.longitudeId);
    if (!lat || !lng || typeof L === "undefined") return;
    var center = box.dataset.center.split(",").map(Number);
    // Leaflet's own zoom titles and attribution link are English: the page gives its words.
    var map = L.map(box.querySelector(".point-picker-map"), { zoomControl: false }).setView(center, 13);
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    map.attributionControl.setPrefix(box.dataset.attributionPrefix);
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
    var marker = null;
    function place(latlng, pan) {
      if (!marker) {
        if (box.dataset.icons) L.Icon.Default.imagePath = box.dataset.icons;  // see maps.js
        marker = L.marker(latlng, { draggable: true }).addTo(map);
        marker.on("dragend", function () { write(marker.getLatLng()); });
      } else {
        marker.setLatLng(latlng);
      }
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 15));
    }
    function write(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
    }
    function read() {
      var a = parseFloat(lat.value), b = parseFloat(lng.value);
      if (!isNaN(a) && !isNaN(b)) place([a, b], true);
    }
    map.on("click", function (event) { place(event.latlng, false); write(event.latlng); });
    lat.addEventListener("change", read);
    lng.addEventListener("change", read);
    read();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".point-picker").forEach(init);
  });
})();
