/* Buttons marked data-print open the browser's print dialog (no inline onclick under the CSP). */
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
