// The census map: submissions as points on OpenStreetMap tiles (Leaflet, shipped with the
// package). Without network the tiles stay blank and the table below the map still lists
// every point; without JavaScript only the table shows.
(function () {
  "use strict";
  var holder = document.getElementById("map");
  var data = document.getElementById("map-points");
  if (!holder || !data || typeof L === "undefined") return;
  var points = JSON.parse(data.textContent);
  var map = L.map(holder, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "&copy; OpenStreetMap contributors",
  }).addTo(map);
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], { radius: 5, weight: 1 });
    marker.bindPopup(document.createTextNode(p.label));
    marker.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  if (bounds.length) {
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
  } else {
    map.setView([-6.12, 106.15], 12); // Kota Serang
  }
  holder.classList.add("ready");
})();
