// Every page: the header menu of small screens, and maps that let a one-finger swipe scroll the page on touch screens.
// Loaded in <head> so that the "js" class is set before the first paint (no flash of the collapsed menu).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var WIDE = window.matchMedia("(min-width: 900px)");

  function setUpMenu() {
    var header = document.querySelector(".site-header");
    var toggle = header && header.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) return;
    header.classList.add("menu-collapsible");
    toggle.hidden = false;
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    }
    toggle.addEventListener("click", function () { setOpen(toggle.getAttribute("aria-expanded") !== "true"); });
    header.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
      setOpen(false);
      toggle.focus();
    });
    WIDE.addEventListener("change", function () { setOpen(false); });
  }

  // On a touch screen a map as tall as the screen would swallow every swipe: one finger scrolls the page,
  // two fingers move and zoom the map (Leaflet's pinch follows the fingers), and a hint says so.
  function cooperativeGestures(map, hint) {
    if (!window.L || !L.Browser.touch || !window.matchMedia("(pointer: coarse)").matches) return false;
    map.dragging.disable();
    var container = map.getContainer();
    var note = document.createElement("p");
    note.className = "map-hint";
    note.setAttribute("aria-hidden", "true");
    note.textContent = hint;
    container.appendChild(note);
    container.setAttribute("data-gestures", "cooperative");
    var timer = null;
    container.addEventListener("touchmove", function (event) {
      if (event.touches.length !== 1) { note.classList.remove("shown"); return; }
      note.classList.add("shown");
      clearTimeout(timer);
      timer = setTimeout(function () { note.classList.remove("shown"); }, 1500);
    }, { passive: true });
    return true;
  }

  // The language switch comes back to the page as it is now: its filters and map view (the query string
  // the map keeps up to date) and its hash, not as it was when the page was served.
  function keepPageOnLanguageSwitch() {
    document.querySelectorAll("form.languages").forEach(function (form) {
      form.addEventListener("submit", function () {
        var next = form.querySelector("input[name=next]");
        if (next) next.value = window.location.pathname + window.location.search + window.location.hash;
      });
    });
  }

  function setUp() { setUpMenu(); keepPageOnLanguageSwitch(); }

  window.foodcommons = { cooperativeGestures: cooperativeGestures, wide: WIDE };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
