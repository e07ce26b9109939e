/* Buttons marked data-print open the browser's print dialog (no inline onclick under the CSP). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
/* A printable page marked data-autoprint opens the print dialog at once (the receipt from
   the intake result page: no PDF viewer to hunt through). */
if (document.body && document.body.dataset.autoprint) {
  window.addEventListener("load", function () { window.print(); });
}
