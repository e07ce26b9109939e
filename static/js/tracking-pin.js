/* The receipt's QR code opens /tra-cuu/?ma=CODE#pin=PIN. The PIN is in the URL fragment, which
   the browser never sends to the server (no access log, no Referer keeps it): this script puts
   it into the tracking form, removes it from the address bar and history, and posts the form.
   Receipts printed earlier carry ?pin= in the query string: the same is done with it. */
(function () {
  var form = document.querySelector("form[data-tracking-form]");
  if (!form) { return; }
  var fragment = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  var query = new URLSearchParams(window.location.search);
  var pin = fragment.get("pin") || query.get("pin");
  if (!pin) { return; }
  var code = fragment.get("ma") || query.get("ma");
  query.delete("pin");
  var clean = window.location.pathname + (query.toString() ? "?" + query.toString() : "");
  window.history.replaceState(null, "", clean);
  if (code) { form.elements.ma.value = code; }
  form.elements.pin.value = pin;
  if (form.elements.ma.value) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }
})();
