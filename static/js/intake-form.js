/* Intake form (templates/motcua/intake/form.html). */
/* Disable the buttons once the form is sent (the server also refuses a second dossier). */
(function () {
  var form = document.querySelector(".intake-form");
  if (!form) return;
  form.addEventListener("submit", function (e) {
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
    setTimeout(function () { form.querySelectorAll(".intake-actions button").forEach(function (b) { b.disabled = true; }); }, 0);
  });
})();
/* "Đã nhận đủ": one tick for every mandatory paper; unticking one paper unticks it again. */
(function () {
  var all = document.querySelector(".intake-form [name=all_received]");
  if (!all) return;
  var mandatory = Array.prototype.slice.call(document.querySelectorAll(".intake-form input[data-mandatory]"));
  function sync() { all.checked = mandatory.length > 0 && mandatory.every(function (box) { return box.checked; }); }
  all.addEventListener("change", function () {
    mandatory.forEach(function (box) { box.checked = all.checked; });
  });
  mandatory.forEach(function (box) { box.addEventListener("change", sync); });
  sync();
})();
