// Starts a run page's first API request while the app's wasm is still
// downloading. Inlined into index.html by trunk; the app adopts the request
// (src/api/prefetch.rs) only if it would send exactly the same one, and
// aborts it otherwise. It mirrors the app: storage keys of
// src/state/settings.rs, URL of `run_url`, headers and redirect mode of
// `fetch_run_raw` (src/api/client.rs).
window.__runviewStartPrefetch = function (path) {
  var m = /^\/runs\/([^/]+)\/?$/.exec(path);
  if (!m || !window.fetch || !window.AbortController) return;
  try {
    var read = function (storage, key) { return storage.getItem(key) || ''; };
    var key = read(localStorage, 'runview.apiKey') || read(sessionStorage, 'runview.apiKey');
    var base = read(localStorage, 'runview.baseUrl');
    var project = read(localStorage, 'runview.project');
    // The run id as the router reads it (`decodeURI`, the raw text if that
    // fails), percent-encoded but for RFC 3986 unreserved characters: the
    // platform's encodeURIComponent also keeps !'()*, so those are encoded
    // here, giving the bytes of `encode_segment` (src/api/segment.rs; a
    // browser test checks they agree).
    var raw = m[1];
    try { raw = decodeURI(raw); } catch (e) { /* keep it raw, as the router does */ }
    var id = encodeURIComponent(raw).replace(/[!'()*]/g, function (c) {
      return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    });
    var url = base.trim().replace(/\/+$/, '') + '/api/v1/runs/' + id;
    var headers = { Accept: 'application/json' };
    if (key) headers.Authorization = 'Bearer ' + key.trim();
    if (project.trim()) headers['X-Wonda-Project'] = project.trim();
    var controller = new AbortController();
    var response = fetch(url, { headers: headers, redirect: 'error', signal: controller.signal }).then(function (r) {
      return r.arrayBuffer().then(function (b) {
        return { status: r.status, retryAfter: r.headers.get('Retry-After'), body: new Uint8Array(b) };
      });
    });
    response.catch(function () {}); // the app reports failures once it adopts the request
    window.__runviewPrefetch = { url: url, key: key, project: project, controller: controller, response: response };
  } catch (e) {
    // Storage blocked or a malformed path: the app makes the request itself.
  }
};
window.__runviewStartPrefetch(location.pathname);
