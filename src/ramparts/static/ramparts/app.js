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
    } else if (event.detail.elt && event.detail.elt.matches && event.detail.elt.matches("form[data-live-filter]")) {
      // Leave empty filters out, so the address bar shows only what is filtered.
      var params = event.detail.parameters;
      Object.keys(params).forEach(function (key) {
        if (params[key] === "") delete params[key];
      });
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

  // Live filters: a list's filter form re-submits (through htmx) as the user types or picks.
  // Selects submit at once; text boxes after a pause. A text box's "change" (on blur) is ignored,
  // so leaving the search box to tick a row does not reload the rows under the user's cursor.
  var typingTimer = null;
  document.addEventListener("input", function (event) {
    var form = event.target.closest("form[data-live-filter]");
    if (!form || event.target.tagName === "SELECT" || event.target.type === "date") return;
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () { form.requestSubmit(); }, 400);
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-live-filter]");
    if (form && (event.target.tagName === "SELECT" || event.target.type === "date")) {
      window.clearTimeout(typingTimer);
      form.requestSubmit();
    }
  });

  // Sorting and paging happen by links inside the results; keep the filter form's hidden
  // fields in step with the address bar so the next filter change keeps them.
  document.addEventListener("htmx:pushedIntoHistory", function () {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[data-live-filter] input[type=hidden][name]").forEach(function (input) {
      input.value = params.get(input.name) || "";
    });
  });

  // A bulk edit returns to the list as it is now (filters, sort, page), not as it was loaded.
  document.addEventListener("submit", function (event) {
    var next = event.target.querySelector("input[name=next][data-current-location]");
    if (next) next.value = window.location.pathname + window.location.search;
  });

  // Close open dropdown menus when clicking elsewhere.
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
      if (!d.contains(event.target)) d.removeAttribute("open");
    });
  });
})();
