// Live countdowns for regulatory clocks on the incident page. The server renders each clock's state;
// this only keeps the remaining time ticking and escalates the look as thresholds pass (24 h, 4 h, 1 h,
// then late). Data comes from data-due attributes (ISO 8601 with offset); no inline script (strict CSP).
(function () {
  "use strict";
  var WARN_HOURS = [24, 4, 1];

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function words(ms) {
    var late = ms < 0;
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400); s -= d * 86400;
    var h = Math.floor(s / 3600); s -= h * 3600;
    var m = Math.floor(s / 60); s -= m * 60;
    var text = (d ? d + " d " : "") + h + " h " + pad(m) + " min " + pad(s) + " s";
    return late ? "LATE — " + text + " late" : text + " left";
  }

  function level(ms) {
    if (ms < 0) { return WARN_HOURS.length + 1; }
    var hours = ms / 3600000;
    return WARN_HOURS.filter(function (limit) { return hours <= limit; }).length;
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-countdown][data-live='1']").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) { return; }
      var ms = due - now;
      el.textContent = words(ms);
      var row = el.closest("tr.clock");
      if (!row) { return; }
      var lvl = level(ms);
      for (var i = 0; i <= WARN_HOURS.length + 1; i++) { row.classList.toggle("clock-level-" + i, i === lvl); }
      row.classList.toggle("clock-late", ms < 0);
      row.classList.toggle("clock-due-soon", ms >= 0 && lvl > 0);
      row.classList.toggle("clock-upcoming", ms >= 0 && lvl === 0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
  });
})();
