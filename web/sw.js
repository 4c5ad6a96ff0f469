// sw.js - keeps the verify page working offline.  Network first, so a
// newer keyring (a revocation) is used as soon as the site has it; the
// cached copy when there is no connection.
const CACHE = 'pledge-verify-v2';
const FILES = ['./', 'index.html', 'verify.js', 'decode.js', 'style.css',
    'keyring.js'];

self.addEventListener('install', (e) => {
    e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)));
});

self.addEventListener('fetch', (e) => {
    if (e.request.method !== 'GET')
        return;
    e.respondWith(fetch(e.request).then((r) => {
        const copy = r.clone();
        caches.open(CACHE).then((c) => c.put(e.request, copy));
        return r;
    }).catch(() => caches.match(e.request, { ignoreSearch: true })));
});

// A new release's cache replaces the old one.
self.addEventListener('activate', (e) => {
    e.waitUntil(caches.keys().then((keys) => Promise.all(
        keys.filter((k) => k !== CACHE).map((k) => caches.delete(k)))));
});
