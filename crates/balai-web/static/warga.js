// The self-service site: register the service worker that lets the site be
// installed on a phone and show a friendly page when the signal drops.
(function () {
  "use strict";
  var sw = document.body && document.body.getAttribute("data-sw");
  if (sw && "serviceWorker" in navigator) navigator.serviceWorker.register(sw).catch(function () {});
})();
