/* Đảng vụ: small behaviours every page shares (no inline script: the CSP forbids it). */
(function () {
  "use strict";
  // A form sent once: the second click of a double click, or an impatient click on a slow link, sends nothing.
  // The button that was clicked still reaches the server (its name and value are copied before it is disabled).
  // The server checks again under a row lock, so two tabs still have one effect; this only spares the request.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || (form.method || "").toLowerCase() !== "post" || form.hasAttribute("hx-post")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    // An irreversible step names what will happen and waits for an explicit yes (data-confirm on the button).
    var ask = event.submitter && event.submitter.getAttribute("data-confirm");
    if (ask && !window.confirm(ask)) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      var copy = document.createElement("input");
      copy.type = "hidden";
      copy.name = submitter.name;
      copy.value = submitter.value;
      form.appendChild(copy);
    }
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (b) {
      b.disabled = true;
      b.setAttribute("aria-busy", "true");
    });
  });
  // Coming back with the browser's Back button shows the page as it was: make its forms usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) {
      delete form.dataset.sent;
      form.querySelectorAll("[aria-busy]").forEach(function (b) { b.disabled = false; b.removeAttribute("aria-busy"); });
    });
  });
})();
