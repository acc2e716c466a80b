// Navet's searchable picker: an ARIA 1.2 combobox (editable, list autocomplete) over a plain
// <select data-picker="organisations|people">. Written for Navet, no dependencies.
//
// Progressive enhancement: the <select> stays in the form and carries the value, so the form
// works without JavaScript. With it, the select is hidden and a text field searches the
// network's JSON endpoint (networks.api) as one types: "gö" finds Göteborg and Götene.
// The endpoint's URL comes from the form: data-picker-organisations / data-picker-people.
//
// Keys: Down/Up move through the suggestions (Down opens them), Enter chooses, Escape closes
// (and, when closed, clears the text), Tab leaves. Home/End stay in the text field.
(function () {
  "use strict";
  if (!window.fetch || !document.querySelector) {
    return;
  }
  var DELAY = 150;
  var counter = 0;

  function text(el, name, fallback) {
    return (el && el.getAttribute(name)) || fallback;
  }

  function enhance(select) {
    var form = select.form;
    var kind = select.getAttribute("data-picker");
    var url = form && form.getAttribute("data-picker-" + kind);
    if (!url) {
      return;
    }
    counter += 1;
    var id = "picker-" + counter;
    var purpose = select.getAttribute("data-picker-purpose") || "";
    var label = form.querySelector('label[for="' + select.id + '"]');

    var wrapper = document.createElement("div");
    wrapper.className = "picker";
    var input = document.createElement("input");
    input.type = "text";
    input.id = id + "-input";
    input.className = "picker-input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "-listbox");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    var described = select.getAttribute("aria-describedby");
    input.setAttribute(
      "aria-describedby",
      (described ? described + " " : "") + id + "-hint"
    );
    if (select.getAttribute("aria-invalid")) {
      input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    }
    if (select.required) {
      input.setAttribute("aria-required", "true");
    }
    if (select.disabled) {
      input.disabled = true;
    }
    var hint = document.createElement("span");
    hint.id = id + "-hint";
    hint.className = "visually-hidden";
    hint.textContent = text(
      form,
      "data-picker-hint",
      "Type to search, then choose with the arrow keys and Enter."
    );
    var listbox = document.createElement("ul");
    listbox.id = id + "-listbox";
    listbox.className = "picker-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    if (label) {
      label.setAttribute("for", input.id);
      if (!label.id) {
        label.id = id + "-label";
      }
      listbox.setAttribute("aria-labelledby", label.id);
    }
    select.hidden = true;
    select.setAttribute("tabindex", "-1");
    select.setAttribute("aria-hidden", "true");
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(input);
    wrapper.appendChild(hint);
    wrapper.appendChild(listbox);
    wrapper.appendChild(status);
    wrapper.appendChild(select);

    var results = [];
    var active = -1;
    var timer = null;
    var request = 0;

    function chosenLabel() {
      var option = select.options[select.selectedIndex];
      return option && option.value ? option.text : "";
    }
    input.value = chosenLabel();

    function setActive(index) {
      var items = listbox.children;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "false");
        items[active].classList.remove("active");
      }
      active = index;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "true");
        items[active].classList.add("active");
        input.setAttribute("aria-activedescendant", items[active].id);
        if (items[active].scrollIntoView) {
          items[active].scrollIntoView({ block: "nearest" });
        }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (results.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function render(rows) {
      results = rows;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      while (listbox.firstChild) {
        listbox.removeChild(listbox.firstChild);
      }
      rows.forEach(function (row, index) {
        var item = document.createElement("li");
        item.id = id + "-option-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.className = "picker-option";
        item.textContent = row.label;
        if (row.detail) {
          var detail = document.createElement("span");
          detail.className = "picker-detail";
          detail.textContent = " – " + row.detail;
          item.appendChild(detail);
        }
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the text field
        });
        item.addEventListener("click", function () {
          choose(index);
        });
        listbox.appendChild(item);
      });
      if (rows.length) {
        status.textContent = text(form, "data-picker-count", "%s suggestions").replace(
          "%s",
          String(rows.length)
        );
        open();
      } else {
        status.textContent = text(form, "data-picker-none", "No matches");
        close();
      }
    }

    function search() {
      var mine = ++request;
      var query = url + "?q=" + encodeURIComponent(input.value.trim());
      if (purpose) {
        query += "&purpose=" + encodeURIComponent(purpose);
      }
      fetch(query, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === request && document.activeElement === input) {
            render(data.results || []);
          }
        })
        .catch(function () {
          /* offline: the text stays, the select keeps its value */
        });
    }

    function choose(index) {
      var row = results[index];
      if (!row) {
        return;
      }
      var value = String(row.id);
      var option = null;
      for (var i = 0; i < select.options.length; i += 1) {
        if (select.options[i].value === value) {
          option = select.options[i];
        }
      }
      if (!option) {
        option = new Option(row.label, value);
        select.appendChild(option);
      }
      select.value = value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      input.value = row.label;
      close();
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      var expanded = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!expanded) {
          if (results.length) {
            open();
          } else {
            search();
          }
          if (event.altKey) {
            return;
          }
        }
        setActive(active + 1 < results.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!expanded) {
          open();
        }
        setActive(active > 0 ? active - 1 : results.length - 1);
      } else if (event.key === "Enter") {
        if (expanded && active >= 0) {
          event.preventDefault(); // choose, do not send the form yet
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (expanded) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      } else if (event.key === "Tab") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      close();
      if (!input.value.trim() && !select.required) {
        select.value = "";
      } else {
        input.value = chosenLabel(); // only what was chosen counts
      }
    });
  }

  document.querySelectorAll("select[data-picker]").forEach(enhance);
})();
