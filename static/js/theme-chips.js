// Admin's themes of a statement (principles.admin.ThemeChipsWidget): the <select multiple>
// becomes chips, each with its remove button, and a field that suggests themes as one types
// (a <datalist>). The select stays in the form and is what is sent; without this file it is
// a plain multiple select. No inline styles: the CSP forbids them.
(function () {
  "use strict";

  function enhance(select) {
    var box = document.createElement("div");
    box.className = "theme-chips__box";
    var list = document.createElement("ul");
    list.className = "theme-chips__list";
    list.setAttribute("aria-label", "Chosen themes");
    box.appendChild(list);
    var status = document.createElement("p");
    status.className = "theme-chips__status visually-hidden";
    status.setAttribute("role", "status");
    var input = null;
    var datalist = null;
    if (!select.disabled) {
      datalist = document.createElement("datalist");
      datalist.id = select.id + "-suggestions";
      input = document.createElement("input");
      input.type = "text";
      input.className = "theme-chips__input";
      input.id = select.id + "-add";
      input.setAttribute("list", datalist.id);
      input.setAttribute("autocomplete", "off");
      var label = document.createElement("label");
      label.className = "theme-chips__label";
      label.htmlFor = input.id;
      label.textContent = "Add a theme (type to see suggestions, Enter to add)";
      box.appendChild(label);
      box.appendChild(input);
      box.appendChild(datalist);
    }
    box.appendChild(status);
    select.classList.add("theme-chips__select");
    select.hidden = true;
    select.parentNode.insertBefore(box, select.nextSibling);

    function render() {
      list.textContent = "";
      if (datalist) datalist.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected) {
          if (datalist) {
            var suggestion = document.createElement("option");
            suggestion.value = option.text;
            datalist.appendChild(suggestion);
          }
          return;
        }
        var chip = document.createElement("li");
        chip.className = "theme-chips__chip";
        chip.appendChild(document.createTextNode(option.text));
        if (!select.disabled) {
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "theme-chips__remove";
          remove.setAttribute("aria-label", "Remove " + option.text);
          remove.textContent = "×";
          remove.addEventListener("click", function () {
            option.selected = false;
            render();
            status.textContent = "Removed " + option.text + ".";
            input.focus();
          });
          chip.appendChild(remove);
        }
        list.appendChild(chip);
      });
    }

    function add() {
      var wanted = input.value.trim().toLowerCase();
      if (!wanted) return false;
      var found = Array.prototype.find.call(select.options, function (option) {
        return option.text.toLowerCase() === wanted;
      });
      if (!found) {
        status.textContent = "No theme is called " + input.value.trim() + ".";
        return false;
      }
      found.selected = true;
      input.value = "";
      render();
      status.textContent = "Added " + found.text + ".";
      return true;
    }

    if (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();  // Enter adds the theme; it does not send the form
          add();
        }
      });
      input.addEventListener("change", add);  // a suggestion picked from the list
    }
    render();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("select.theme-chips"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
