// caio's only script. Pages work without it; it adds small conveniences.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Forms marked data-confirm ask before they submit (deletes, revokes).
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
  // The organisation switcher submits on change; its button stays for keyboards without scripts.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
  // After a failed form, move focus to the summary so screen readers announce it.
  var err = document.getElementById("form-error");
  if (err) { err.setAttribute("tabindex", "-1"); err.focus(); }
});
