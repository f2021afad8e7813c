// Live reload for `dateline serve`. The server adds this script to the pages it serves;
// it never reaches files on disk or a published site.
(function () {
  "use strict";
  var self = document.currentScript;
  var state = JSON.parse(self.getAttribute("data-dateline"));
  var scrollKey = "dateline-scroll:" + location.pathname;

  // A reload keeps the reader where they were.
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var restore = function () { window.scrollTo(0, parseFloat(saved)); };
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore);
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  // What a swap of the body would not bring along: stylesheets, styles and scripts (data
  // such as JSON-LD aside: it shows nothing).
  function shape(doc) {
    var nodes = doc.querySelectorAll('link[rel="stylesheet"], style, script:not([data-dateline])');
    return Array.prototype.filter.call(nodes, function (node) {
      var type = (node.getAttribute("type") || "").toLowerCase();
      return node.tagName !== "SCRIPT" || !type || /javascript|ecmascript|module/.test(type);
    }).map(function (node) {
      if (node.tagName !== "LINK") return node.outerHTML;
      var url = new URL(node.getAttribute("href"), location.href);
      url.searchParams.delete("dateline"); // added by swapStylesheets
      return url.href;
    }).join("\n");
  }

  // The page changed: fetch it and swap its body in, which shows the edit sooner than a
  // reload (no new connection, stylesheet or script to load) and keeps the reader's place.
  // A page whose stylesheets or scripts differ, or that has scripts of its own (they would
  // not run again), is reloaded instead.
  function refresh() {
    fetch(location.href, { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (text) {
        var fresh = new DOMParser().parseFromString(text, "text/html");
        var mine = shape(document);
        if (mine !== shape(fresh) || mine.indexOf("<script") !== -1) return reload();
        fresh.querySelectorAll("script[data-dateline]").forEach(function (node) { node.remove(); });
        var x = window.scrollX, y = window.scrollY;
        document.title = fresh.title;
        document.body.replaceWith(fresh.body);
        window.scrollTo(x, y);
      })
      .catch(reload);
  }

  // The server names files as they are on disk; the browser's paths are percent-encoded.
  function decoded(path) {
    try { return decodeURIComponent(path); } catch (error) { return path; }
  }

  function here() {
    return decoded(location.pathname).replace(/index\.html$/, "");
  }

  function swapStylesheets(urls, version) {
    var links = Array.prototype.slice.call(document.querySelectorAll('link[rel="stylesheet"]'));
    var matching = links.filter(function (link) {
      return urls.indexOf(decoded(new URL(link.href).pathname)) !== -1;
    });
    // A changed file no link names directly (an @import) may affect any of them.
    (matching.length ? matching : links).forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("dateline", String(version));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      // The old sheet stays until the new one has loaded, so the page never flashes unstyled.
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function apply(changed, version) {
    if (changed === null) return reload(); // too much changed to tell, or the server restarted
    if (!changed.length) return;
    var css = changed.filter(function (url) { return /\.css$/.test(url); });
    var html = changed.filter(function (url) { return /(\/|\.html)$/.test(url); });
    var other = changed.length - css.length - html.length;
    if (other > 0) return reload(); // images or scripts: any page may use them
    if (state.missing) {
      if (html.length) return reload();
    } else if (html.indexOf(here()) !== -1) {
      refresh();
    }
    if (css.length) swapStylesheets(css, version);
  }

  function showErrors(errors) {
    var old = document.getElementById("dateline-errors");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = "dateline-errors";
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace";
    var title = document.createElement("h2");
    title.textContent = "Build failed: the preview shows the last good build";
    title.style.cssText = "margin:0 0 1rem;font:bold 18px/1.3 system-ui,sans-serif;color:#ff8a80";
    var list = document.createElement("pre");
    list.style.cssText = "margin:0;white-space:pre-wrap";
    list.textContent = errors.join("\n");
    box.append(title, list);
    document.body.append(box);
  }

  var source = new EventSource(state.events + "?v=" + state.version + "&t=" + state.token);
  source.onmessage = function (event) {
    var message = JSON.parse(event.data);
    showErrors(message.errors);
    apply(message.changed, message.version);
  };
})();
