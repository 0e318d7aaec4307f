// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy-target"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      if (!source || !navigator.clipboard) { return; }
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = "Citation copied."; }
      }, function () {
        if (status) { status.textContent = "Copy failed: select the citation and copy it by hand."; }
      });
    });
  });
})();
