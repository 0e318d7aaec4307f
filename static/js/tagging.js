// Tagging forms, enhanced: after a tagging form posts and the page reloads, put the reader
// back where they were instead of jumping to the statement's anchor, and move keyboard focus
// to the message about their change. Without this file the forms work the same, and the
// redirect lands on the statement's anchor.
(function () {
  "use strict";
  var KEY = "practicekb:tagging-place";
  var here = location.pathname + location.search;
  var saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
    sessionStorage.removeItem(KEY);
  } catch (e) {
    saved = null;
  }

  function restore() {
    window.scrollTo(0, saved.y);
    // the browser may still jump to the #statement anchor after load: hold the place once more
    window.requestAnimationFrame(function () {
      window.setTimeout(function () { window.scrollTo(0, saved.y); }, 0);
    });
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    var feedback = target && target.querySelector(".tagging__feedback");
    if (feedback) {
      feedback.setAttribute("tabindex", "-1");
      feedback.focus({ preventScroll: true });
    }
  }

  if (saved && saved.path === here) {
    if (document.readyState === "complete") {
      restore();
    } else {
      window.addEventListener("load", restore);
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest || !form.closest(".tagging")) {
      return;
    }
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ path: here, y: window.scrollY }));
    } catch (e) {
      // storage unavailable: the redirect's anchor still brings the reader back
    }
  });
})();
