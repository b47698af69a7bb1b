// Ramparts front-end glue. Loaded with a CSP nonce; no inline handlers anywhere, so all
// behaviour is wired here from data-* attributes.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // htmx sends the CSRF token as a header on every non-GET request.
  document.addEventListener("htmx:configRequest", function (event) {
    var verb = (event.detail.verb || "get").toLowerCase();
    if (verb !== "get") {
      event.detail.headers["X-CSRFToken"] = csrfToken();
    }
  });

  // Collapsible navigation on small screens.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var target = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      if (target) target.classList.toggle("open", !open);
    }
  });

  // On phones the list filters fold away behind a button, leaving the search box.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-filters-toggle]");
    if (button) {
      var form = button.closest("form");
      var shown = form.classList.toggle("show-all");
      button.setAttribute("aria-expanded", shown ? "true" : "false");
    }
  });

  // Forms and buttons that ask before doing something destructive.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // Bulk selection: a header checkbox selects every row; the bulk bar shows the count.
  function updateBulk(scope) {
    var boxes = scope.querySelectorAll("input[data-row-select]");
    var checked = 0;
    boxes.forEach(function (b) { if (b.checked) checked += 1; });
    var counter = document.querySelector("[data-selected-count]");
    if (counter) counter.textContent = String(checked);
    var bar = document.querySelector("[data-bulk-bar]");
    if (bar) bar.classList.toggle("active", checked > 0);
    var all = scope.querySelector("input[data-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("input[data-select-all]")) {
      var scope = el.closest("form") || document;
      scope.querySelectorAll("input[data-row-select]").forEach(function (b) { b.checked = el.checked; });
      updateBulk(scope);
    } else if (el.matches("input[data-row-select]")) {
      updateBulk(el.closest("form") || document);
    }
  });

  document.addEventListener("htmx:afterSwap", function () {
    updateBulk(document);
  });

  // Close open dropdown menus when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
      if (!d.contains(event.target)) d.removeAttribute("open");
    });
  });
})();
