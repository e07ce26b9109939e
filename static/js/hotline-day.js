/* Hotline call log (templates/khieunai/hotline/day.html): call timer and dossier code check. */
(function () {
  var form = document.getElementById("call-form");
  if (!form) return;
  var opened = Date.now(), timer = document.getElementById("call-timer");
  var duration = form.querySelector("[name=duration]");
  function elapsed() { return Math.round((Date.now() - opened) / 1000); }
  function fmt(s) { return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }
  setInterval(function () { timer.textContent = fmt(elapsed()); }, 1000);
  form.addEventListener("submit", function () { if (!duration.value) duration.value = fmt(elapsed()); });
  var code = form.querySelector("[name=dossier_code]"), out = document.getElementById("dossier-check");
  function check() {
    var value = code.value.trim();
    if (!value) { out.textContent = ""; out.className = "help"; return; }
    fetch(out.dataset.url + "?ma=" + encodeURIComponent(value), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (data) { out.textContent = data.message; out.className = data.found ? "status-ok" : "status-bad"; });
  }
  code.addEventListener("change", check);
  code.addEventListener("blur", check);
})();
