// Balai self-service service worker. Caches only the shell (style and
// icons): personal pages are never stored on the phone. When the network is
// down, a page visit gets a short offline notice instead of an error.
"use strict";
var SHELL = "balai-shell-v1";
var ASSETS = ["/static/balai.css", "/static/ikon.svg", "/static/ikon-192.png"];
var OFFLINE = "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">" +
  "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Tidak ada sinyal</title>" +
  "<link rel=\"stylesheet\" href=\"/static/balai.css\"></head><body><main class=\"wrap narrow\">" +
  "<h1>Tidak ada sambungan internet</h1><p>Permohonan Anda tetap tersimpan di kantor desa. " +
  "Coba lagi saat sinyal kembali.</p><p>(You are offline. Try again when the signal is back.)</p></main></body></html>";

self.addEventListener("install", function (e) {
  e.waitUntil(caches.open(SHELL).then(function (c) { return c.addAll(ASSETS); }));
  self.skipWaiting();
});
self.addEventListener("activate", function (e) {
  e.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL; }).map(function (k) { return caches.delete(k); }));
  }));
});
self.addEventListener("fetch", function (e) {
  var req = e.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin === location.origin && url.pathname.indexOf("/static/") === 0) {
    e.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
  } else if (req.mode === "navigate") {
    e.respondWith(fetch(req).catch(function () {
      return new Response(OFFLINE, { headers: { "Content-Type": "text/html; charset=utf-8" } });
    }));
  }
});
