/* Procedure search at the counter (templates/motcua/intake/search.html). */
/* Live results while typing (the form works without it): fetch the server's fragment. */
(function () {
  var input = document.querySelector("[data-live-search]");
  var box = document.getElementById("results");
  if (!input || !box || !window.fetch) return;
  // `defaultValue` is what the server rendered: an officer who typed before this script
  // loaded (it is deferred) still gets the live list for what is in the box.
  var timer = null, last = input.defaultValue.trim();
  function search() {
    var q = input.value.trim();
    if (q === last) return;
    last = q;
    fetch("?partial=1&q=" + encodeURIComponent(q), {credentials: "same-origin"})
      .then(function (r) { return r.text(); })
      .then(function (html) { if (input.value.trim() === q) box.innerHTML = html; });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  search();
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { var first = box.querySelector("a"); if (first) { e.preventDefault(); first.focus(); } }
  });
  box.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    var links = Array.prototype.slice.call(box.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === "ArrowDown" && i + 1 < links.length) links[i + 1].focus();
    else if (e.key === "ArrowUp") (i === 0 ? input : links[i - 1]).focus();
  });
})();
