// WeMi spaces, in the browser only: the pages are complete without this script.
// - A space page: from its opening hours (the JSON beside the hours table), says "Aperto ora" or
//   "Chiuso ora" by the clock of Europe/Rome (wherever the reader is), shows today's hours in
//   the first screen and marks today's row of the table, in words as well as by style.
// - The map page: "Trova lo spazio più vicino" sorts the spaces that have coordinates by their
//   distance from the reader. The position is read by the browser and never leaves it.
"use strict";
(function () {
  var DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

  // The day ("mon") and the minutes since midnight now in Milan, summer or winter time.
  function romeNow(date) {
    var parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Rome", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    }).formatToParts(date);
    var get = function (type) {
      for (var i = 0; i < parts.length; i++) if (parts[i].type === type) return parts[i].value;
      return "";
    };
    var day = get("weekday").slice(0, 3).toLowerCase();
    return { day: day, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
  }

  function minutes(clock) {
    var hm = clock.split(":");
    return Number(hm[0]) * 60 + Number(hm[1]);
  }

  function openingHours() {
    var json = document.querySelector("[data-opening-hours-json]");
    var table = document.querySelector("table[data-opening-hours]");
    if (!json || !table) return;
    var days;
    try {
      days = JSON.parse(json.textContent);
    } catch (e) {
      return;
    }
    var now = romeNow(new Date());
    if (DAYS.indexOf(now.day) < 0) return;
    var today = null;
    for (var i = 0; i < days.length; i++) if (days[i].day === now.day) today = days[i];
    var row = table.querySelector('tr[data-day="' + now.day + '"]');
    var todayBox = document.querySelector("[data-today]");
    var label = document.querySelector("[data-today-label]");
    if (row) {
      row.classList.add("hours__today");
      var mark = document.createElement("span");
      mark.className = "hours__today-mark";
      mark.textContent = " (" + label.getAttribute("data-today-text").toLowerCase() + ")";
      row.querySelector("th").appendChild(mark);
    }
    if (todayBox && label) {
      label.textContent = label.getAttribute("data-today-text");
      var hours = todayBox.querySelector("[data-today-hours]");
      if (row) {
        hours.textContent = row.querySelector("td").textContent;
      } else {
        // The file says nothing about today: keep the link to the table.
        label.textContent = label.getAttribute("data-today-text") + ":";
      }
    }
    var box = document.querySelector("[data-open-now]");
    if (!box || !today) return;
    var open = false;
    for (var j = 0; j < today.slots.length; j++) {
      var slot = today.slots[j];
      if (now.minutes >= minutes(slot.opens) && now.minutes < minutes(slot.closes)) open = true;
    }
    box.querySelector("[data-open-now-text]").textContent =
      box.getAttribute(open ? "data-open-text" : "data-closed-text");
    box.classList.add(open ? "open-now--open" : "open-now--closed");
    box.hidden = false;
  }

  // Distance in km on the sphere (haversine).
  function distance(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad;
    var dLon = (b.lon - a.lon) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 6371 * 2 * Math.asin(Math.sqrt(h));
  }

  function nearest() {
    var section = document.querySelector("[data-nearest]");
    if (!section || !("geolocation" in navigator)) return;
    var spaces = JSON.parse(section.querySelector("[data-nearest-spaces]").textContent);
    var result = section.querySelector("[data-nearest-result]");
    section.hidden = false;
    section.querySelector("[data-nearest-button]").addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        var here = { lat: position.coords.latitude, lon: position.coords.longitude };
        spaces.forEach(function (s) { s.km = distance(here, s); });
        spaces.sort(function (a, b) { return a.km - b.km; });
        result.textContent = "";
        var heading = document.createElement("h3");
        heading.textContent = result.getAttribute("data-title");
        var list = document.createElement("ol");
        spaces.forEach(function (s) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = s.path;
          link.textContent = s.title;
          item.appendChild(link);
          var km = s.km.toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 });
          item.appendChild(document.createTextNode(" · " + result.getAttribute("data-distance").replace("{km}", km)));
          list.appendChild(item);
        });
        result.appendChild(heading);
        result.appendChild(list);
      }, function () {
        result.textContent = result.getAttribute("data-error");
      });
    });
  }

  openingHours();
  nearest();
})();
