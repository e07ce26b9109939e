/* Forms marked data-confirm="question" ask before they are sent (no inline onsubmit under the
   CSP). Cancelling sends nothing. */
document.querySelectorAll("form[data-confirm]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    if (!window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });
});
