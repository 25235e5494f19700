// What nginx checks before an API request may go upstream (njs, imported by
// nginx.conf.template). Each function is a `js_set` variable; all of them
// read the raw request line ($request_uri), never nginx's normalised $uri,
// so what is checked is byte for byte what a client sent.
//
// The grammar (README, "Deploying"):
//   /api/v1/runs/{id}                                  no query at all
//   /api/v1/blueprints/{id}/runs[?cursor=C][&page=N][&limit=N]
//     id      1-128 of A-Z a-z 0-9 _ - . ~, first not a dot: no dot segment,
//             no empty segment, no '%' (so no encoded '/', '\' or '.')
//     cursor  percent-decoded, then re-encoded as the app encodes it
//             (src/api/segment.rs): 1-512 bytes in that form
//     page    1-100000; limit 1-100; each parameter at most once, any order
// The upstream request is rebuilt from these parts (cursor, page, limit in
// that order), and the cache key is that rebuilt URI: two spellings of one
// request share one cache entry and one upstream request.

var ID = '[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,127}';
var RUN = new RegExp('^/api/v1/runs/(' + ID + ')$');
var HISTORY = new RegExp('^/api/v1/blueprints/(' + ID + ')/runs$');
var NUMBER = /^[1-9][0-9]{0,5}$/;
var BOUNDS = { page: 100000, limit: 100 };
var MAX_CURSOR = 512;
// A project name: printable ASCII, no comma (a comma would join two headers).
var PROJECT = /^[\x21-\x2b\x2d-\x7e]([\x20-\x2b\x2d-\x7e]{0,126}[\x21-\x2b\x2d-\x7e])?$/;

function error(status, code, message) {
    return { status: status, body: JSON.stringify({ error: { message: message, code: code } }) };
}

/** RFC 3986 unreserved characters stay, everything else %XX (as src/api/segment.rs). */
function encodeSegment(s) {
    return encodeURIComponent(s).replace(/[!'()*]/g, function (c) {
        return '%' + c.charCodeAt(0).toString(16).toUpperCase();
    });
}

/** The values of header `name` the client sent, duplicates included. */
function headerValues(r, name) {
    var out = [];
    var raw = r.rawHeadersIn;
    for (var i = 0; i < raw.length; i++) {
        if (raw[i][0].toLowerCase() === name) out.push(raw[i][1]);
    }
    return out;
}

/** The history query, rebuilt; or an error. */
function historyQuery(query) {
    if (query === undefined) return { query: '' };
    var seen = {};
    var pairs = query.split('&');
    for (var i = 0; i < pairs.length; i++) {
        var eq = pairs[i].indexOf('=');
        var name = eq < 0 ? pairs[i] : pairs[i].slice(0, eq);
        var value = eq < 0 ? '' : pairs[i].slice(eq + 1);
        if (name !== 'cursor' && name !== 'page' && name !== 'limit') {
            return error(400, 'bad_request', 'The run history takes only cursor, page and limit.');
        }
        if (seen[name] !== undefined) return error(400, 'bad_request', name + ' is given twice.');
        if (name === 'cursor') {
            var text;
            try {
                text = decodeURIComponent(value);
            } catch (e) {
                return error(400, 'bad_request', 'cursor is not valid percent-encoded UTF-8.');
            }
            seen.cursor = encodeSegment(text);
            if (text.length === 0 || seen.cursor.length > MAX_CURSOR) {
                return error(400, 'bad_request', 'cursor must be 1 to ' + MAX_CURSOR + ' bytes once percent-encoded.');
            }
        } else {
            if (!NUMBER.test(value) || Number(value) > BOUNDS[name]) {
                return error(400, 'bad_request', name + ' must be a whole number from 1 to ' + BOUNDS[name] + '.');
            }
            seen[name] = value;
        }
    }
    var out = [];
    ['cursor', 'page', 'limit'].forEach(function (n) {
        if (seen[n] !== undefined) out.push(n + '=' + seen[n]);
    });
    return { query: '?' + out.join('&') };
}

/**
 * The verdict on an API request: `{ uri, project }` (the rebuilt upstream
 * URI and the one project) or `{ status, body }` (the API's error shape).
 * Each variable below computes it again: a few short regular expressions.
 */
function verdict(r) {
    if (r.method !== 'GET' && r.method !== 'HEAD') {
        return error(405, 'method_not_allowed', 'This proxy only serves GET requests.');
    }
    var raw = r.variables.request_uri;
    var q = raw.indexOf('?');
    var path = q < 0 ? raw : raw.slice(0, q);
    var query = q < 0 ? undefined : raw.slice(q + 1);
    var uri;
    var m = RUN.exec(path);
    if (m) {
        if (query !== undefined) return error(400, 'bad_request', 'A run\'s URL takes no query.');
        uri = '/api/v1/runs/' + m[1];
    } else if ((m = HISTORY.exec(path))) {
        var h = historyQuery(query);
        if (h.status) return h;
        uri = '/api/v1/blueprints/' + m[1] + '/runs' + h.query;
    } else {
        return error(404, 'not_found',
            'This proxy only serves GET /api/v1/runs/{runId} and GET /api/v1/blueprints/{blueprintId}/runs.');
    }
    var projects = headerValues(r, 'x-wonda-project');
    if (projects.length > 1) return error(400, 'bad_request', 'Send at most one X-Wonda-Project header.');
    if (projects.length === 1 && projects[0] !== '' && !PROJECT.test(projects[0])) {
        return error(400, 'bad_request', 'X-Wonda-Project must be 1 to 128 printable ASCII characters, without a comma.');
    }
    if (headerValues(r, 'authorization').length > 1) {
        return error(400, 'bad_request', 'Send at most one Authorization header.');
    }
    return { uri: uri, project: projects.length === 1 ? projects[0] : '' };
}

/** `$runview_status`: "ok", or the status of the refusal (404, 400, 405). */
function status(r) {
    var v = verdict(r);
    return v.status ? String(v.status) : 'ok';
}

/** `$runview_refusal`: the JSON body of the refusal ("" when the request is fine). */
function refusal(r) {
    return verdict(r).body || '';
}

/** `$runview_uri`: the rebuilt upstream URI ("" when refused). */
function uri(r) {
    return verdict(r).uri || '';
}

/** `$runview_project`: the one X-Wonda-Project value ("" when none). */
function project(r) {
    return verdict(r).project || '';
}

/**
 * `$runview_cred` in pass mode: HMAC-SHA256 of the Authorization header with
 * the secret made at each start ($runview_cred_secret), so no key ever lands
 * in a cache file.
 */
function cred(r) {
    var auth = r.headersIn.Authorization;
    if (!auth) return 'none';
    var crypto = require('crypto');
    return crypto.createHmac('sha256', r.variables.runview_cred_secret).update(auth).digest('base64url');
}

export default { status: status, refusal: refusal, uri: uri, project: project, cred: cred };
