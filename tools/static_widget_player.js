/* The course's kernel-free widget player (tools/static_widgets.py writes the markup and the frames).
 *
 * Each .mle-static-widget holds its frames' text in a <script type="application/json" class="mle-static-data">
 * (alt text, readout, and for buttons where each press leads) and names its folder of PNG frames in
 * data-frames. Moving a control shows the frame of the new combination; a button shows the frame it leads
 * to, or, when the live widget would refuse the press, its message in the readout (the figure stays).
 * No dependency, no request but the frames beside the page: it works from file:// and from a server.
 * Inside a reveal.js deck, the keys that move a focused control do not reach the deck.
 */
(function () {
  "use strict";
  // Keys a focused control uses; reveal.js (listening on document) must not see them.
  var KEYS = {
    ArrowLeft: 1, ArrowRight: 1, ArrowUp: 1, ArrowDown: 1, Home: 1, End: 1,
    PageUp: 1, PageDown: 1, " ": 1, Enter: 1, Spacebar: 1
  };

  function pad(n) {
    return ("00" + n).slice(-3);
  }

  function init(root) {
    if (root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "1");
    var data = JSON.parse(root.querySelector("script.mle-static-data").textContent);
    var dir = root.getAttribute("data-frames");
    var img = root.querySelector("img.mle-figure");
    var readout = root.querySelector(".mle-readout");
    var inputs = root.querySelectorAll("[data-control]");
    var radix = data.controls.map(function (c) { return c.values.length; });
    var idx = data.controls.map(function (c) { return c.start; });
    var path = 0;
    var frame = current();

    function current() {
      var i = 0;
      for (var k = 0; k < idx.length; k++) i = i * radix[k] + idx[k];
      return i * data.paths + path;
    }

    function show(f) {
      frame = f;
      var entry = data.frames[f];
      img.src = dir + pad(f) + ".png";
      img.alt = entry[0];
      readout.textContent = entry[1];
      root.setAttribute("data-frame", String(f));
    }

    function read(el) {
      if (el.type === "checkbox") return el.checked ? 1 : 0;
      if (el.tagName === "SELECT") return el.selectedIndex;
      return parseInt(el.value, 10);
    }

    Array.prototype.forEach.call(inputs, function (el) {
      var k = parseInt(el.getAttribute("data-control"), 10);
      var output = root.querySelector('output[for="' + el.id + '"]');
      function moved() {
        idx[k] = read(el);
        if (el.type === "range") {
          var shown = data.controls[k].values[idx[k]];
          el.setAttribute("aria-valuetext", shown);
          if (output) output.textContent = shown;
        }
        show(current());
      }
      el.addEventListener(el.type === "range" ? "input" : "change", moved);
    });

    Array.prototype.forEach.call(root.querySelectorAll("[data-button]"), function (el) {
      var b = parseInt(el.getAttribute("data-button"), 10);
      el.addEventListener("click", function () {
        var to = data.frames[frame][2][b];
        if (typeof to === "number") {
          path = to % data.paths;
          show(to);
        } else {
          readout.textContent = to; // refused, as the live widget refuses it: the figure stays
        }
      });
    });

    // A focused control keeps its keys (a deck would otherwise change slides on an arrow or a space).
    root.addEventListener("keydown", function (event) {
      var t = event.target;
      if (t !== root && t.closest && t.closest("[data-control], [data-button]") && KEYS[event.key]) {
        event.stopPropagation();
      }
    });

    // Warm the browser's cache, one frame at a time, once a reader comes near the controls.
    var warmed = false;
    function warm() {
      if (warmed) return;
      warmed = true;
      var order = [];
      for (var i = 0; i < data.frames.length; i++) order.push(i);
      (function next() {
        var i = order.shift();
        if (i === undefined) return;
        var pre = new Image();
        pre.onload = pre.onerror = next;
        pre.src = dir + pad(i) + ".png";
      })();
    }
    root.addEventListener("focusin", warm);
    root.addEventListener("pointerenter", warm);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".mle-static-widget"), init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
