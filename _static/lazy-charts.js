/* Draw each chart when it comes near the viewport (ros1alk.lean_pages makes chart scripts inert).
 *
 * The page's first paint needs neither the 0.9 MB Vega bundle nor any chart: the bundle is fetched
 * when the first chart approaches, and each chart is drawn when it is within about a screen of view.
 * Charts are all drawn before printing, and at once where IntersectionObserver is missing.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var bundleUrl = me && me.getAttribute("data-vega-bundle");
  var bundle = null;

  function loadBundle() {
    if (!bundle) {
      bundle = new Promise(function (resolve, reject) {
        if (typeof window.vegaEmbed === "function") { resolve(); return; }
        var s = document.createElement("script");
        s.src = bundleUrl;
        s.onload = function () { resolve(); };
        s.onerror = function () { reject(new Error("could not load the chart library " + bundleUrl)); };
        document.head.appendChild(s);
      });
    }
    return bundle;
  }

  function draw(holder) {
    if (holder.hasAttribute("data-drawn")) { return; }
    holder.setAttribute("data-drawn", "");
    loadBundle().then(function () {
      // A new script element runs Altair's own embedding code, unchanged, right after its data.
      var run = document.createElement("script");
      run.text = holder.text;
      holder.parentNode.insertBefore(run, holder.nextSibling);
    }, function (err) { console.error(err.message); });
  }

  function start() {
    var holders = [].slice.call(document.querySelectorAll('script[type="application/x-ros1alk-chart"]'));
    if (!holders.length) { return; }
    var drawAll = function () { holders.forEach(draw); };
    window.addEventListener("beforeprint", drawAll);
    if (!("IntersectionObserver" in window)) { drawAll(); return; }
    var byTarget = new Map();
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          seen.unobserve(entry.target);
          draw(byTarget.get(entry.target));
        }
      });
    }, { rootMargin: "600px 0px 600px 0px" });
    holders.forEach(function (holder) {
      var target = document.getElementById(holder.getAttribute("data-chart")) || holder.parentNode;
      byTarget.set(target, holder);
      seen.observe(target);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
