/* Keyboard shortcuts of the pair review page (linkage). No framework, no inline script (CSP).
 *
 *   s  same business (merge)      o  same owner      d  different
 *   j / →  next pair              k / ←  previous pair
 *   ?  show or hide the help      Esc  hide the help, or leave the note field
 *
 * Ignored while typing in a field (the note) and with Ctrl/Alt/Meta held.
 */
(function () {
  "use strict";

  var help = document.getElementById("shortcut-help");
  var form = document.getElementById("decision-form");
  var submitting = false;

  function isTyping(element) {
    if (!element) { return false; }
    var tag = element.tagName;
    return element.isContentEditable || tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
  }

  function decide(decision) {
    if (!form || submitting) { return false; }
    var button = form.querySelector('button[data-decision="' + decision + '"]');
    if (!button) { return false; }
    button.click();  // submits the form with the note and this button's value
    return true;
  }

  function go(direction) {
    var link = document.querySelector('a[data-nav="' + direction + '"]');
    if (!link) { return false; }
    window.location.assign(link.href);
    return true;
  }

  function toggleHelp(show) {
    if (!help) { return false; }
    help.hidden = show === undefined ? !help.hidden : !show;
    return true;
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      if (submitting) { event.preventDefault(); return; }  // a second key press or click
      submitting = true;
    });
  }

  var toggle = document.querySelector("[data-help-toggle]");
  if (toggle) {
    toggle.addEventListener("click", function () { toggleHelp(); });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) { return; }
    if (isTyping(event.target)) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var handled = false;
    switch (event.key) {
      case "s": handled = decide("same_business"); break;
      case "o": handled = decide("same_owner"); break;
      case "d": handled = decide("different"); break;
      case "j": case "ArrowRight": handled = go("next"); break;
      case "k": case "ArrowLeft": handled = go("previous"); break;
      case "?": handled = toggleHelp(); break;
      case "Escape": handled = toggleHelp(false); break;
      default: break;
    }
    if (handled) { event.preventDefault(); }
  });
}());
