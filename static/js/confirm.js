/* Confirmation before a consequential action (approve, refuse, stop, withdraw, send a report).
   A submit button (or a form) carrying data-confirm="question" asks in a modal dialog before
   its form is sent; data-confirm-yes / data-confirm-no are the dialog's button labels (the
   templates translate them). Under the strict CSP: this file only, no inline script. */
(function () {
  var dialog, text, yes, no, pending = null;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "confirm-dialog";
    dialog.setAttribute("aria-labelledby", "confirm-dialog-text");
    text = document.createElement("p");
    text.id = "confirm-dialog-text";
    var actions = document.createElement("div");
    actions.className = "confirm-actions";
    no = document.createElement("button");
    no.type = "button";
    no.className = "confirm-no";
    yes = document.createElement("button");
    yes.type = "button";
    actions.appendChild(no);
    actions.appendChild(yes);
    dialog.appendChild(text);
    dialog.appendChild(actions);
    document.body.appendChild(dialog);
    no.addEventListener("click", function () { pending = null; dialog.close(); });
    dialog.addEventListener("cancel", function () { pending = null; });
    yes.addEventListener("click", function () {
      var go = pending;
      pending = null;
      dialog.close();
      if (go) go();
    });
  }

  function ask(source, proceed) {
    if (!dialog) build();
    text.textContent = source.dataset.confirm;
    yes.textContent = source.dataset.confirmYes || "OK";
    no.textContent = source.dataset.confirmNo || "Cancel";
    // the confirming button looks like the action it confirms (approve, danger, stop…)
    yes.className = "confirm-yes " + (source.dataset.confirmClass || (source.tagName === "BUTTON" ? source.className : ""));
    pending = proceed;
    dialog.showModal();
    no.focus();  // the safe choice has the focus: Enter alone never confirms
  }

  document.addEventListener("submit", function (event) {
    var form = event.target, button = event.submitter;
    var source = button && button.dataset.confirm ? button : (form.dataset.confirm ? form : null);
    if (!source || form.dataset.confirmed === "1") return;
    event.preventDefault();
    ask(source, function () {
      form.dataset.confirmed = "1";
      if (button && button.name) {
        // keep the pressed button's name/value in the sent data
        var carry = document.createElement("input");
        carry.type = "hidden";
        carry.name = button.name;
        carry.value = button.value;
        form.appendChild(carry);
      }
      form.submit();
    });
  }, true);
})();
