#!/usr/bin/env bash
# Serves a built runview (trunk's dist/) through nginx in the foreground:
# the static app with security headers and SPA fallback, and /api/ proxied to
# the Runs API through a 1 s shared cache. Run with --help for the flags.
set -euo pipefail
shopt -u patsub_replacement 2>/dev/null || true # "&" in values stays literal

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMPLATE="$HERE/nginx.conf.template"
MODULES=/usr/lib/nginx/modules
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

usage() {
  cat <<'HELP'
Usage: serve.sh --dist DIR --listen HOST:PORT --upstream URL --mode kept|pass
                [--key-file FILE] [--media-origin URL]... [--state-dir DIR]
                [--rate-limit N] [--tls-cert FILE --tls-key FILE
                [--redirect-http HOST:PORT]]

Serves runview's built app (trunk's dist/) through nginx, in the foreground,
as its own instance (prefix, pid, temp, cache and logs under the state
folder). Prints one line `READY http(s)://HOST:PORT` on stdout once nginx
accepts connections; SIGTERM or SIGINT stops it cleanly.

  --dist DIR          the built app: index.html and trunk's hashed assets,
                      with the .br/.gz siblings of scripts/compress.sh if any.
                      It is copied into the state folder at start: restart
                      serve.sh after a new build.
  --listen HOST:PORT  where nginx listens, e.g. 127.0.0.1:8080 or 0.0.0.0:80.
  --upstream URL      the Runs API origin, e.g. https://api.wondercat.ai
                      (https: SNI and certificate verification against the
                      system CA bundle). Its origin is also allowed in the
                      page's connect-src.
  --mode kept|pass    kept: the key is the server's; it is added to every API
                      request and whatever Authorization a browser sends is
                      dropped; the app says the key is managed by the server.
                      pass: each browser's own Authorization is forwarded.
  --key-file FILE     kept mode: a file holding the API key (first line).
                      Without it, the key comes from $RUNVIEW_API_KEY.
  --media-origin URL  an origin the app may load media and text previews from
                      beyond https: (e.g. the simulator's http media origin).
                      Repeatable. Text previews (fetch) are allowed only from
                      these origins.
  --state-dir DIR     where nginx keeps its config, pid, temp files, cache
                      and logs (default: a new temporary folder, removed on
                      exit). Rendered files holding secrets are mode 0600.
  --rate-limit N      API requests per second one client address may make
                      (default 10), with a burst of 2*N answered at once;
                      beyond that a 429. Behind a CDN or load balancer every
                      request comes from its addresses: raise it.
  --tls-cert FILE     with --tls-key: listen with TLS (HTTP/2 too) on
  --tls-key FILE      --listen, and send Strict-Transport-Security. FILE is
                      PEM (the certificate with its chain; the private key).
  --redirect-http HOST:PORT
                      with TLS: also listen with plain HTTP there, answering
                      every request with a redirect to the https origin.
  -h, --help          this help.

Environment: RUNVIEW_API_KEY (kept mode, when --key-file is not given).
Exit status: 0 after a clean stop; 2 on a bad flag or a missing key; 1 when
nginx refuses the configuration or does not start.
HELP
}

die() { # usage errors: exit 2
  printf 'serve.sh: %s\n' "$*" >&2
  printf "Try 'serve.sh --help'.\n" >&2
  exit 2
}
fail() { # runtime errors: exit 1
  printf 'serve.sh: %s\n' "$*" >&2
  exit 1
}
log() { printf 'serve.sh: %s\n' "$*" >&2; }

dist='' listen='' upstream='' mode='' key_file='' state_dir=''
rate_limit=10 tls_cert='' tls_key='' redirect_http=''
media_origins=()
need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value"; }
while [ $# -gt 0 ]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --dist) need_value "$@"; dist=$2; shift 2 ;;
    --listen) need_value "$@"; listen=$2; shift 2 ;;
    --upstream) need_value "$@"; upstream=$2; shift 2 ;;
    --mode) need_value "$@"; mode=$2; shift 2 ;;
    --key-file) need_value "$@"; key_file=$2; shift 2 ;;
    --media-origin) need_value "$@"; media_origins+=("$2"); shift 2 ;;
    --state-dir) need_value "$@"; state_dir=$2; shift 2 ;;
    --rate-limit) need_value "$@"; rate_limit=$2; shift 2 ;;
    --tls-cert) need_value "$@"; tls_cert=$2; shift 2 ;;
    --tls-key) need_value "$@"; tls_key=$2; shift 2 ;;
    --redirect-http) need_value "$@"; redirect_http=$2; shift 2 ;;
    --dist=* | --listen=* | --upstream=* | --mode=* | --key-file=* | --media-origin=* | --state-dir=* | \
      --rate-limit=* | --tls-cert=* | --tls-key=* | --redirect-http=*)
      set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    *) die "unknown flag: $1" ;;
  esac
done

# --- validate -----------------------------------------------------------------
[ -n "$dist" ] || die "--dist is required"
[ -n "$listen" ] || die "--listen is required"
[ -n "$upstream" ] || die "--upstream is required"
[ -n "$mode" ] || die "--mode is required (kept or pass)"
case "$mode" in kept | pass) ;; *) die "--mode must be kept or pass, not '$mode'" ;; esac
[ -f "$dist/index.html" ] || die "--dist $dist has no index.html (build it: trunk build --release)"

hostport_re='^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$'
if [[ "$listen" =~ $hostport_re ]]; then
  listen_host=${BASH_REMATCH[1]} listen_port=${BASH_REMATCH[2]}
else
  die "--listen must be HOST:PORT (e.g. 127.0.0.1:8080), not '$listen'"
fi
[ "$listen_port" -ge 1 ] && [ "$listen_port" -le 65535 ] || die "--listen port must be 1-65535"

[[ "$rate_limit" =~ ^[1-9][0-9]{0,5}$ ]] || die "--rate-limit must be a whole number of requests per second (1-999999), not '$rate_limit'"
scheme=http
if [ -n "$tls_cert" ] || [ -n "$tls_key" ]; then
  [ -n "$tls_cert" ] && [ -n "$tls_key" ] || die "--tls-cert and --tls-key go together"
  [ -r "$tls_cert" ] || die "--tls-cert $tls_cert cannot be read"
  [ -r "$tls_key" ] || die "--tls-key $tls_key cannot be read"
  scheme=https
fi
if [ -n "$redirect_http" ]; then
  [ "$scheme" = https ] || die "--redirect-http needs --tls-cert and --tls-key"
  [[ "$redirect_http" =~ $hostport_re ]] || die "--redirect-http must be HOST:PORT (e.g. 0.0.0.0:80), not '$redirect_http'"
fi

origin_re='^(https?)://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:([0-9]{1,5}))?/?$'
if [[ "$upstream" =~ $origin_re ]]; then
  up_scheme=${BASH_REMATCH[1]} up_name=${BASH_REMATCH[2]} up_port=${BASH_REMATCH[4]}
else
  die "--upstream must be an origin like https://api.wondercat.ai (no path), not '$upstream'"
fi
default_port=80
[ "$up_scheme" = https ] && default_port=443
up_hostport="$up_name:${up_port:-$default_port}"
up_host_header=$up_name
[ -n "$up_port" ] && [ "$up_port" != "$default_port" ] && up_host_header="$up_name:$up_port"
up_origin="$up_scheme://$up_host_header"

media_csp=''
for m in "${media_origins[@]+"${media_origins[@]}"}"; do
  [[ "$m" =~ $origin_re ]] || die "--media-origin must be an origin like https://media.example.com, not '$m'"
  media_csp+=" ${m%/}"
done

key=''
if [ "$mode" = kept ]; then
  if [ -n "$key_file" ]; then
    [ -r "$key_file" ] || die "--key-file $key_file cannot be read"
    IFS= read -r key <"$key_file" || true
  else
    key=${RUNVIEW_API_KEY:-}
  fi
  key=${key//[$'\t\r ']/}
  [ -n "$key" ] || die "kept mode needs the API key: --key-file FILE or the RUNVIEW_API_KEY environment variable"
  # The key goes into an nginx string: only token characters (no quotes,
  # spaces, '$' or ';'). The key itself is never printed.
  [[ "$key" =~ ^[A-Za-z0-9._~+/=-]+$ ]] || die "the API key has characters an API key never has (allowed: letters, digits and ._~+/=-)"
elif [ -n "$key_file" ] || [ -n "${RUNVIEW_API_KEY:-}" ]; then
  log "pass mode forwards each browser's own key; the server key given is ignored"
fi

command -v nginx >/dev/null 2>&1 || fail "nginx is not installed (apt-get install nginx libnginx-mod-http-brotli-static libnginx-mod-http-js; scripts/setup.sh does it)"
command -v openssl >/dev/null 2>&1 || fail "openssl is needed to hash the inline scripts for the CSP"
[ "$up_scheme" = http ] || [ -r "$CA_BUNDLE" ] || fail "$CA_BUNDLE is missing (apt-get install ca-certificates)"

# --- state folder -------------------------------------------------------------
own_state=0
if [ -z "$state_dir" ]; then
  state_dir=$(mktemp -d "${TMPDIR:-/tmp}/runview-nginx.XXXXXX")
  own_state=1
fi
mkdir -p "$state_dir"
state=$(cd "$state_dir" && pwd)
cleanup_state() { if [ "$own_state" = 1 ]; then rm -rf "$state"; fi; }
trap cleanup_state EXIT
# The workers (user nobody when started as root) must reach www/, cache/, tmp/.
chmod 0755 "$state"
rm -rf "$state/conf" "$state/www"
mkdir -p "$state/logs" "$state/tmp" "$state/cache"
(umask 077 && mkdir -p "$state/conf")

# The app: a snapshot of dist, so the CSP hashes always match the index.html served.
cp -R "$dist" "$state/www"
find "$state/www" -name '.*' -prune -exec rm -rf {} + # .trunk-lock and the like: not the app
chmod -R a+rX "$state/www"
index="$state/www/index.html"
if [ "$mode" = kept ]; then
  # The app reads this to say "the key is managed by the server" and never ask for one.
  marker='<meta name="runview-api-key" content="server" />'
  html=$(<"$index")
  [[ "$html" == *"</head>"* ]] || fail "$dist/index.html has no </head>"
  printf '%s\n' "${html/<\/head>/$marker</head>}" >"$index"
  rm -f "$index.gz" "$index.br"
  gzip -9 -n -k "$index"
  if command -v brotli >/dev/null 2>&1; then brotli -q 11 -o "$index.br" "$index"; fi
fi

# --- Content-Security-Policy --------------------------------------------------
# Scripts: self, wasm compilation, and the sha256 of every inline <script>
# body of the index.html being served (trunk inlines src/api/prefetch.js and
# adds its module loader).
scripts_dir="$state/tmp/csp"
rm -rf "$scripts_dir" && mkdir -p "$scripts_dir"
OUT="$scripts_dir" perl -0777 -ne '
  my $n = 0;
  while (/<script\b([^>]*)>(.*?)<\/script\s*>/gis) {
    my ($attrs, $body) = ($1, $2);
    next if $attrs =~ /\bsrc\s*=/i;
    open(my $f, ">", sprintf("%s/%03d", $ENV{OUT}, $n++)) or die "write: $!";
    binmode $f; print $f $body; close $f;
  }
' "$index" || fail "could not read the inline scripts of $index"
script_hashes=''
for f in "$scripts_dir"/*; do
  [ -f "$f" ] || continue
  script_hashes+=" 'sha256-$(openssl dgst -sha256 -binary "$f" | openssl base64 -A)'"
done
rm -rf "$scripts_dir"
connect="'self' $up_origin$media_csp"
csp="default-src 'none'; script-src 'self'$script_hashes 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: https:$media_csp; media-src 'self' https:$media_csp; connect-src $connect; font-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

# --- render -------------------------------------------------------------------
[ -f "$MODULES/ngx_http_js_module.so" ] || fail "nginx's njs module is missing (apt-get install libnginx-mod-http-js): it checks every API request"
modules="load_module $MODULES/ngx_http_js_module.so;"$'\n'
brotli_static=''
if [ -f "$MODULES/ngx_http_brotli_static_module.so" ]; then
  modules+="load_module $MODULES/ngx_http_brotli_static_module.so;"$'\n'
  brotli_static='    brotli_static on;'
else
  log "brotli static module missing (apt-get install libnginx-mod-http-brotli-static): serving .gz only"
fi
cp "$HERE/runview.js" "$state/conf/runview.js"
if [ "$mode" = pass ]; then
  # The secret of the cache key's HMAC, made at each start (runview.js: cred).
  cred="    map \"\" \$runview_cred_secret { default $(openssl rand -hex 32); }"$'\n'"    js_set \$runview_cred runview.cred;"
  auth='            # pass-through: the browser'"'"'s one Authorization goes upstream unchanged.'$'\n''            proxy_set_header Authorization $http_authorization;'
  api_cache_200='private, no-store'
  api_vary='Authorization, X-Wonda-Project'
else
  cred='    map "" $runview_cred { default server; }'
  (umask 077 && printf 'proxy_set_header Authorization "Bearer %s";\n' "$key" >"$state/conf/key.conf")
  auth="            # key kept on the server (whatever Authorization a browser sends stays here)."$'\n'"            include $state/conf/key.conf;"
  api_cache_200='public, s-maxage=1, max-age=0'
  api_vary='X-Wonda-Project'
fi
listen_conf="        listen $listen;"
redirect_server=''
if [ "$scheme" = https ]; then
  listen_conf="        listen $listen ssl http2;
        ssl_certificate $state/conf/tls.crt;
        ssl_certificate_key $state/conf/tls.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_session_cache shared:runview_tls:1m;
        ssl_session_timeout 1h;"
  # Copies: nginx reads them at start, and the key stays 0600 in conf/.
  (umask 077 && cp "$tls_cert" "$state/conf/tls.crt" && cp "$tls_key" "$state/conf/tls.key")
  if [ -n "$redirect_http" ]; then
    https_port=''
    [ "$listen_port" = 443 ] || https_port=":$listen_port"
    redirect_server="    # Plain HTTP: every request is sent to the https origin.
    server {
        listen $redirect_http;
        server_name _;
        include $state/conf/headers.conf;
        location / {
            return 301 https://\$host$https_port\$request_uri;
        }
    }"
  fi
fi
user=''
if [ "$(id -u)" = 0 ]; then
  user="user nobody $(id -gn nobody 2>/dev/null || echo nogroup);"
fi

(umask 077 && cat >"$state/conf/headers.conf" <<HEADERS
add_header Content-Security-Policy "$csp" always;
add_header X-Content-Type-Options "nosniff" always;
add_header Referrer-Policy "no-referrer" always;
HEADERS
)
if [ "$scheme" = https ]; then
  echo 'add_header Strict-Transport-Security "max-age=31536000" always;' >>"$state/conf/headers.conf"
fi

conf=$(<"$TEMPLATE")
conf=${conf//@@LOAD_MODULES@@/$modules}
conf=${conf//@@USER@@/$user}
conf=${conf//@@STATE@@/$state}
conf=${conf//@@BROTLI_STATIC@@/$brotli_static}
conf=${conf//@@CRED@@/$cred}
conf=${conf//@@AUTH@@/$auth}
conf=${conf//@@LISTEN@@/$listen_conf}
conf=${conf//@@REDIRECT_SERVER@@/$redirect_server}
conf=${conf//@@RATE@@/$rate_limit}
conf=${conf//@@BURST@@/$((rate_limit * 2))}
conf=${conf//@@API_CACHE_200@@/$api_cache_200}
conf=${conf//@@API_VARY@@/$api_vary}
conf=${conf//@@UPSTREAM_HOSTPORT@@/$up_hostport}
conf=${conf//@@UPSTREAM_SCHEME@@/$up_scheme}
conf=${conf//@@UPSTREAM_HOST_HEADER@@/$up_host_header}
conf=${conf//@@UPSTREAM_NAME@@/${up_name//[\[\]]/}}
(umask 077 && printf '%s\n' "$conf" >"$state/conf/nginx.conf")

if [ "$(id -u)" = 0 ] && ! runuser -u nobody -- test -r "$index" 2>/dev/null; then
  fail "nginx's workers run as 'nobody' and cannot read $index: put --state-dir where every parent folder is world-traversable (not under /root)"
fi

# --- run ----------------------------------------------------------------------
nginx_args=(-p "$state" -e "$state/logs/error.log" -c "$state/conf/nginx.conf")
if ! check=$(nginx -t -q "${nginx_args[@]}" 2>&1); then
  fail "nginx refused the configuration:"$'\n'"$check"
fi

# setpriv --pdeathsig: nginx also stops if this script is killed outright (SIGKILL).
pdeath=()
if setpriv --help 2>/dev/null | grep -q -- --pdeathsig; then pdeath=(setpriv --pdeathsig TERM --); fi
"${pdeath[@]}" nginx "${nginx_args[@]}" &
nginx_pid=$!
stopping=0
stop() {
  stopping=1
  if kill -0 "$nginx_pid" 2>/dev/null; then
    kill -QUIT "$nginx_pid" 2>/dev/null || true # graceful: finish open requests
    for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$nginx_pid" 2>/dev/null || true
  fi
}
trap stop TERM INT
trap 'stop; wait "$nginx_pid" 2>/dev/null || true; cleanup_state' EXIT

probe_host=$listen_host
case "$probe_host" in 0.0.0.0) probe_host=127.0.0.1 ;; "[::]") probe_host=::1 ;; \[*) probe_host=${probe_host//[\[\]]/} ;; esac
ready=0
for _ in $(seq 100); do
  kill -0 "$nginx_pid" 2>/dev/null || break
  if (exec 3<>"/dev/tcp/$probe_host/$listen_port") 2>/dev/null; then ready=1; break; fi
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  tail -n 5 "$state/logs/error.log" >&2 2>/dev/null || true
  fail "nginx did not start listening on $listen"
fi
log "nginx $(nginx -v 2>&1 | sed 's/.*\///'): $mode mode, upstream $up_origin, state $state"
echo "READY $scheme://$listen_host:$listen_port"

status=0
while kill -0 "$nginx_pid" 2>/dev/null; do
  wait "$nginx_pid" && status=0 || status=$?
done
if [ "$stopping" = 1 ]; then exit 0; fi
tail -n 5 "$state/logs/error.log" >&2 2>/dev/null || true
fail "nginx exited unexpectedly (status $status)"
