// Keeps the deadline countdowns of a page current (the server wrote their first value).
(function () {
  function fmt(ms) {
    var s = Math.floor(Math.abs(ms) / 1000), d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600),
      m = Math.floor((s % 3600) / 60);
    var t = d ? d + " d " + h + " h" : h + " h " + m + " min";
    return ms >= 0 ? "in " + t : "overdue by " + t;
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.countdown[datetime]").forEach(function (el) {
      var at = Date.parse(el.getAttribute("datetime"));
      if (!isNaN(at)) { el.textContent = fmt(at - now); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setInterval(tick, 30000); });
})();
