// veille web interface: small progressive enhancements (the pages work without them).
(function () {
  "use strict";

  // Highlight the evidence an anchor (#ev-START-END, #q-START-END) points to.
  function focusTarget() {
    document.querySelectorAll(".focus").forEach(function (el) { el.classList.remove("focus"); });
    var key = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (!/^(ev|q)-\d+-\d+$/.test(key)) { return; }
    var anchor = document.getElementById(key);
    if (!anchor) { return; }
    var pieces;
    if (key.indexOf("ev-") === 0) {
      pieces = Array.prototype.filter.call(document.querySelectorAll("[data-ev]"), function (el) {
        return el.getAttribute("data-ev").split(" ").indexOf(key) >= 0 && el.classList.contains("ev");
      });
    } else {
      // quote pieces follow the anchor until the first piece that is not part of a quote
      pieces = [];
      var el = anchor.nextElementSibling;
      while (el && (el.classList.contains("quote") || el.classList.contains("anchor"))) {
        if (el.classList.contains("quote")) { pieces.push(el); }
        el = el.nextElementSibling;
      }
    }
    pieces.forEach(function (p) { p.classList.add("focus"); });
    document.body.classList.remove("hide-ev", "hide-quote");
    var box = document.querySelector('[data-layer="ev"]');
    if (box) { box.checked = true; }
    (pieces[0] || anchor).scrollIntoView({ block: "center" });
  }

  function setupLayers() {
    document.querySelectorAll("fieldset.layers input[data-layer]").forEach(function (box) {
      var layer = box.getAttribute("data-layer");
      var apply = function () {
        if (layer === "extra") {
          document.querySelectorAll("#extra details").forEach(function (d) { d.open = box.checked; });
          if (box.checked) { document.getElementById("extra").scrollIntoView({ block: "start" }); }
        } else {
          document.body.classList.toggle("hide-" + layer, !box.checked);
        }
      };
      box.addEventListener("change", apply);
      if (layer === "extra") {
        var first = document.querySelector("#extra details");
        box.checked = !!(first && first.open);
      } else {
        apply();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupLayers();
    focusTarget();
    window.addEventListener("hashchange", focusTarget);
  });
})();
