// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!source || !navigator.clipboard) { return; }
      // an input (a share link) gives its value, anything else its text
      var text = "value" in source ? source.value : source.textContent;
      var what = button.getAttribute("data-copy-what") || "citation";
      navigator.clipboard.writeText(text.trim()).then(function () {
        if (status) { status.textContent = what.charAt(0).toUpperCase() + what.slice(1) + " copied."; }
      }, function () {
        if (status) { status.textContent = "Copy failed: select the " + what + " and copy it by hand."; }
      });
    });
  });
})();
