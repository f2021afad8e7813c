// Starts Pagefind's search interface on the search page. Every URL comes from data attributes
// written by the template, so search works wherever the site is published (a sub-path too).
// A query in the address (/search/?q=floods) is searched straight away, so links can share it.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) {
    return;
  }
  var bundle = root.dataset.bundle;
  var shards = (root.dataset.merge || "").split(" ").filter(Boolean);
  var query = new URLSearchParams(window.location.search).get("q");

  function escapeHtml(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = bundle + "pagefind-ui.css";
  document.head.appendChild(style);

  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = function () {
    root.textContent = ""; // the plain form is only for browsers without the interface
    var ui = new window.PagefindUI({
      element: root,
      bundlePath: bundle,
      mergeIndex: shards.map(function (shard) {
        return { bundlePath: shard };
      }),
      baseUrl: root.dataset.baseUrl,
      pageSize: 10,
      showImages: false,
      showSubResults: false,
      autofocus: !query,
      processResult: function (result) {
        // News readers judge a result by its date: show it before the excerpt.
        if (result.meta && result.meta.date) {
          result.excerpt = '<time class="search-date">' + escapeHtml(result.meta.date) + "</time> — " + result.excerpt;
        }
        return result;
      },
    });
    if (query) {
      ui.triggerSearch(query);
    }
  };
  script.onerror = function () {
    var note = document.createElement("p");
    note.textContent = "The search index is missing: build the site with search turned on.";
    root.appendChild(note);
  };
  document.head.appendChild(script);
})();
