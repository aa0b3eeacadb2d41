// vnsearch: small enhancements; every feature also works without JavaScript.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("search-form");
    if (!form) return;

    // Ticking a facet value or changing the sort submits the search (page back to 1).
    form.addEventListener("change", function (event) {
      if (event.target.classList && event.target.classList.contains("autosubmit")) form.submit();
    });

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
})();
