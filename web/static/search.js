// vnsearch: small enhancements; every feature also works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("search-form");
    if (!form) return;

    var drawer = document.getElementById("filters");
    var toggle = document.getElementById("filters-toggle");
    var RESTORE = "vnsearch-restore";

    // Phones: the filters are a drawer opened by the "Bộ lọc" button (issue 12 item 1).
    function setDrawer(open) {
      if (!drawer || !toggle) return;
      drawer.classList.toggle("open", open);
      document.body.classList.toggle("drawer-open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    function drawerIsOpen() { return !!drawer && drawer.classList.contains("open"); }
    if (toggle) {
      toggle.addEventListener("click", function () {
        setDrawer(true);
        var first = drawer.querySelector("input, button, a");
        if (first) first.focus();
      });
      Array.prototype.forEach.call(document.querySelectorAll(".drawer-close"), function (button) {
        button.addEventListener("click", function () { setDrawer(false); toggle.focus(); });
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && drawerIsOpen()) { setDrawer(false); toggle.focus(); }
      });
    }

    // Ticking a facet value or changing the sort submits the search (page back to 1); the
    // new page puts the focus back on that control (and reopens the drawer), so a second
    // filter is where the first one was, and a screen reader hears where it is.
    form.addEventListener("change", function (event) {
      var target = event.target;
      if (!(target.classList && target.classList.contains("autosubmit"))) return;
      remember({ name: target.name, value: target.type === "checkbox" ? target.value : null, drawer: drawerIsOpen() });
      dropEmptyDates();
      form.submit();
    });
    form.addEventListener("submit", function () {
      remember({ results: true });
      dropEmptyDates();
    });

    // An empty date box would put "date_from=&date_to=" in every search's URL.
    function dropEmptyDates() {
      Array.prototype.forEach.call(form.querySelectorAll("input[type=date]"), function (input) {
        if (!input.value) input.disabled = true;
      });
    }

    function remember(what) {
      try { sessionStorage.setItem(RESTORE, JSON.stringify(what)); } catch (e) { /* private mode: no restore */ }
    }
    function restore() {
      var what = null;
      try {
        what = JSON.parse(sessionStorage.getItem(RESTORE) || "null");
        sessionStorage.removeItem(RESTORE);
      } catch (e) { return; }
      if (!what) return;
      var heading = document.getElementById("results-heading");
      if (what.results) {
        if (heading) heading.focus();
        return;
      }
      var selector = "[name='" + CSS.escape(what.name) + "']" + (what.value !== null ? "[value='" + CSS.escape(what.value) + "']" : "");
      var control = form.querySelector(selector);
      if (what.drawer) setDrawer(true);
      if (control) control.focus();
      else if (heading) heading.focus();
      var status = document.getElementById("announce");
      var total = document.getElementById("total");
      if (status && total) status.textContent = "Đã cập nhật: " + total.textContent.trim() + (total.getAttribute("data-total") === "0" ? "" : " kết quả");
    }
    restore();

    // Back/Forward from the cache shows the page as it was left: put every control back to
    // what this page's URL says (the ticks the user made before leaving are not in it).
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      Array.prototype.forEach.call(form.elements, function (el) {
        if (el.type === "checkbox" || el.type === "radio") el.checked = el.defaultChecked;
        else if (el.tagName === "SELECT") Array.prototype.forEach.call(el.options, function (o) { o.selected = o.defaultSelected; });
        else if (el.type !== "hidden" && "defaultValue" in el) el.value = el.defaultValue;
      });
      Array.prototype.forEach.call(form.querySelectorAll("input[type=date]"), function (input) { input.disabled = false; });
      setDrawer(false);
    });

    setUpCompletions(form);

    // The filter box of a long facet lists matching values from /api/facets/<name>.
    Array.prototype.forEach.call(document.querySelectorAll(".facet-filter input"), function (input) {
      var fieldset = input.closest("fieldset");
      var list = fieldset.querySelector(".facet-values");
      var more = fieldset.querySelector(".more");
      var name = fieldset.getAttribute("data-facet");
      var timer = null;
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") event.preventDefault();
      });
      input.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var url = input.getAttribute("data-api");
          url += (url.indexOf("?") < 0 ? "?" : "&") + "limit=50&contains=" + encodeURIComponent(input.value);
          fetch(url, { headers: { Accept: "application/json" } })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (data) {
              if (!data) return;
              var checked = {};
              Array.prototype.forEach.call(list.querySelectorAll("input:checked"), function (c) { checked[c.value] = true; });
              list.textContent = "";
              data.values.forEach(function (v) {
                var li = document.createElement("li");
                var label = document.createElement("label");
                var box = document.createElement("input");
                box.type = "checkbox"; box.name = name; box.value = v.value; box.className = "autosubmit";
                box.checked = v.selected || !!checked[v.value];
                var text = document.createElement("span");
                text.className = "fv-label";
                text.textContent = name === "term" ? "Khóa " + v.value : v.value;
                var count = document.createElement("span");
                count.className = "count";
                count.textContent = v.count.toLocaleString("vi-VN");
                label.appendChild(box); label.appendChild(text); label.appendChild(document.createTextNode(" ")); label.appendChild(count);
                li.appendChild(label);
                list.appendChild(li);
              });
              // Keep ticked values that the filter hides, so submitting does not drop them.
              var shown = {};
              data.values.forEach(function (v) { shown[v.value] = true; });
              Object.keys(checked).forEach(function (value) {
                if (shown[value]) return;
                var keep = document.createElement("input");
                keep.type = "hidden"; keep.name = name; keep.value = value;
                list.appendChild(keep);
              });
              if (more) more.hidden = !data.truncated && input.value !== "";
            });
        }, 200);
      });
    });
  });

  // Completions under the search box from /api/suggest (issue 12 item 8): an ARIA
  // combobox whose options are never Tab stops (arrows move, Enter picks, Escape closes),
  // so the keyboard path to the results stays as short as without JavaScript.
  function setUpCompletions(form) {
    var input = document.getElementById("q");
    var list = document.getElementById("q-suggestions");
    if (!input || !list || !window.fetch) return;
    var KINDS = { resolution: "Văn bản", province: "Tỉnh, thành", term: "Khóa", phrase: "Cụm từ" };
    var timer = null, active = -1, items = [], asked = "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", "q-suggestions");
    input.setAttribute("aria-expanded", "false");

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(n) {
      active = n;
      Array.prototype.forEach.call(list.children, function (li, i) { li.setAttribute("aria-selected", i === n ? "true" : "false"); });
      if (n >= 0) input.setAttribute("aria-activedescendant", "q-option-" + n);
      else input.removeAttribute("aria-activedescendant");
    }
    function choose(n) {
      input.value = items[n].text;
      close();
      if (form.requestSubmit) form.requestSubmit();
      else form.submit();
    }
    function show(suggestions) {
      list.innerHTML = "";
      items = suggestions;
      active = -1;
      suggestions.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "q-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var text = document.createElement("span");
        text.className = "sg-text";
        text.textContent = s.text;
        var kind = document.createElement("span");
        kind.className = "sg-kind";
        kind.textContent = (KINDS[s.kind] || "") + " · " + s.count.toLocaleString("vi-VN") + " bài";
        li.appendChild(text); li.appendChild(kind);
        // mousedown, not click: it comes before the box loses focus and the list closes.
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = !suggestions.length;
      input.setAttribute("aria-expanded", suggestions.length ? "true" : "false");
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var value = input.value;
      if (value.trim().length < 2) { close(); return; }
      timer = setTimeout(function () {
        asked = value;
        fetch(list.getAttribute("data-api") + "?q=" + encodeURIComponent(value), { headers: { Accept: "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data || asked !== input.value || document.activeElement !== input) return;
            show(data.suggestions || []);
          })
          .catch(function () { close(); });
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
    input.addEventListener("blur", close);
  }
})();
