// caio's only script. Pages work without it; it adds small conveniences.
// It is loaded in <head> without defer so the "js" class is set before the
// first paint (the collapsed menu on small screens does not flash open).
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", function () {
  // Forms marked data-confirm ask before they submit (deletes, revokes).
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });

  // On small screens the organisation switcher, the account links and the
  // main navigation fold behind the Menu button (CSS does the folding).
  var toggle = document.getElementById("nav-toggle");
  var nav = document.getElementById("nav");
  if (toggle && nav) {
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      document.body.classList.toggle("menu-open", open);
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        toggle.setAttribute("aria-expanded", "false");
        document.body.classList.remove("menu-open");
        toggle.focus();
      }
    });
  }

  // Copy buttons (the new API token): shown only when scripts run.
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    var source = document.getElementById(b.getAttribute("data-copy"));
    var note = b.parentNode.querySelector(".copy-note");
    if (!source) return;
    b.hidden = false;
    var say = function (msg) { if (note) note.textContent = msg; };
    var select = function () {
      var r = document.createRange();
      r.selectNodeContents(source);
      var s = window.getSelection();
      s.removeAllRanges();
      s.addRange(r);
    };
    b.addEventListener("click", function () {
      var text = source.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          say("Copied to the clipboard.");
        }, function () {
          select();
          say("Selected: press Ctrl+C or ⌘C to copy.");
        });
      } else {
        select();
        say("Selected: press Ctrl+C or ⌘C to copy.");
      }
    });
  });

  // Questionnaires (form[data-autosave]) save each answer as it is given;
  // the Save button still works without scripts. The server answers 204
  // with the assessment's new version, which the next save sends.
  document.querySelectorAll("form[data-autosave]").forEach(function (f) {
    var status = f.querySelector("[data-autosave-status]");
    var version = f.querySelector("input[name=version]");
    var timer = null;
    var save = function () {
      timer = null;
      fetch(f.action, { method: "POST", body: new URLSearchParams(new FormData(f)), headers: { "X-Autosave": "1" }, credentials: "same-origin" })
        .then(function (res) {
          if (res.status === 204) {
            if (version && res.headers.get("X-Version")) version.value = res.headers.get("X-Version");
            if (status) status.textContent = "Saved at " + new Date().toLocaleTimeString() + ".";
            return;
          }
          return res.text().then(function (msg) {
            if (status) status.textContent = "Not saved: " + msg.trim() + " Press Save answers to see the details.";
          });
        }, function () {
          if (status) status.textContent = "Not saved: the server could not be reached. Your answers are still on this page.";
        });
    };
    f.addEventListener("change", function () {
      if (status) status.textContent = "Saving…";
      if (timer) clearTimeout(timer);
      timer = setTimeout(save, 600);
    });
  });

  // After a failed form, move focus to the summary so screen readers announce it.
  var err = document.getElementById("form-error");
  if (err) { err.setAttribute("tabindex", "-1"); err.focus(); }

  // Links in the error summary move focus into the field, not just the view.
  document.querySelectorAll("#form-error a[href^='#']").forEach(function (a) {
    a.addEventListener("click", function (e) {
      var field = document.getElementById(a.getAttribute("href").slice(1));
      if (!field) return;
      e.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView({ block: "start" });
      field.focus({ preventScroll: true });
    });
  });
});
