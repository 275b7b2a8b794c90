// Accessible names for two of the Django admin's widgets, which axe reports as serious:
//
// - The two-box "filter horizontal" widget (a round's recommendations and forces) puts its
//   instructions in an aria-label on a plain <span>, where ARIA does not allow one. As an image
//   (role="img", the magnifying-glass icon it is) the label is allowed, and it names the filter box.
// - The autocomplete (Select2: a force lead's user and force) draws a combobox and a read-only
//   textbox with no accessible name. Each is named by the field's own label.
//
// - A date-and-time field is two boxes under one label, which names only the first; a tabular
//   inline's boxes (a force's aliases) have a column heading and no label; the list's search box
//   is labelled by an icon. Each box without a name gets one from its field's label or column.
//
// The widgets are drawn by script after the page loads, so new elements are fixed as they appear.
(function () {
  "use strict";

  function labelFor(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (!label) return null;
    if (!label.id) label.id = select.id + "_label";
    return label.id;
  }

  function fix(root) {
    nameUnlabelled(root);
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const container = select.nextElementSibling;
      const labelId = labelFor(select);
      if (!container || !labelId || !container.classList.contains("select2")) return;
      const combobox = container.querySelector('[role="combobox"]');
      const rendered = container.querySelector(".select2-selection__rendered");
      if (combobox && !combobox.dataset.named) {
        combobox.setAttribute("aria-labelledby", labelId + (rendered && rendered.id ? " " + rendered.id : ""));
        combobox.dataset.named = "1";
      }
      if (rendered && !rendered.getAttribute("aria-labelledby")) {
        rendered.setAttribute("aria-labelledby", labelId);
      }
    });
  }

  function hasName(input) {
    return (
      input.getAttribute("aria-label") ||
      input.getAttribute("aria-labelledby") ||
      (input.id && document.querySelector('label[for="' + input.id + '"]') && document.querySelector('label[for="' + input.id + '"]').textContent.trim())
    );
  }

  function nameUnlabelled(root) {
    root.querySelectorAll("input.vDateField, input.vTimeField").forEach(function (input) {
      if (hasName(input)) return;
      const first = input.id && document.querySelector('label[for="' + input.id.replace(/_1$/, "_0") + '"]');
      const field = first ? first.textContent.replace(/:\s*$/, "").trim() : "";
      input.setAttribute("aria-label", (field ? field + ": " : "") + (input.classList.contains("vDateField") ? "date" : "time"));
    });
    root.querySelectorAll(".tabular table").forEach(function (table) {
      const headings = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.cells, function (cell, index) {
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (input) {
            if (!hasName(input) && headings[index]) input.setAttribute("aria-label", headings[index]);
          });
        });
      });
    });
    const search = document.getElementById("searchbar");
    if (search && !search.getAttribute("aria-label")) search.setAttribute("aria-label", "Search");
  }

  function start() {
    fix(document);
    new MutationObserver(function () {
      fix(document);
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
