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
