//! End-to-end tests over real HTTP: the simulator runs in-process on port 0.

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Client, Method, Response, StatusCode};
use runview_sim::{start, Config, Server, DEMO_KEY};
use serde_json::{json, Value};

const FIXTURE: &str = include_str!("../../tests/fixtures/run_abc123.json");

async fn sim() -> Server {
    start(Config::ephemeral()).await.expect("simulator starts")
}

fn client() -> Client {
    Client::builder().build().unwrap()
}

async fn get_run(server: &Server, run_id: &str) -> Response {
    client()
        .get(format!("{}/api/v1/runs/{run_id}", server.api_url()))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap()
}

/// Starts a run of `blueprint` (POST): 201 with a `runId` starting with
/// `prefix`, and that run answers.
async fn assert_starts_a_run(server: &Server, blueprint: &str, prefix: &str) {
    let started = client()
        .post(format!(
            "{}/api/v1/blueprints/{blueprint}/runs",
            server.api_url()
        ))
        .bearer_auth(DEMO_KEY)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::CREATED);
    let run_id = json_of(started).await["runId"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(run_id.starts_with(prefix), "{run_id}");
    assert_eq!(get_run(server, &run_id).await.status(), 200);
}

async fn json_of(response: Response) -> Value {
    serde_json::from_str(&response.text().await.unwrap()).expect("JSON body")
}

async fn assert_error(response: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let body = json_of(response).await;
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    body
}

async fn admin(server: &Server, method: Method, path: &str, body: Value) -> Response {
    client()
        .request(method, format!("{}/_sim{path}", server.api_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The simulator's request log (`GET /_sim/requests`, with an optional query).
async fn sim_log(server: &Server, query: &str) -> Value {
    json_of(
        client()
            .get(format!("{}/_sim/requests{query}", server.api_url()))
            .send()
            .await
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn golden_run_equals_the_fixture() {
    let server = sim().await;
    let response = get_run(&server, "run_abc123").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body = response.text().await.unwrap();
    assert_eq!(body, FIXTURE);
    let served: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(served, serde_json::from_str::<Value>(FIXTURE).unwrap());
    server.shutdown().await;
}

#[tokio::test]
async fn scenario_runs_are_served_and_evolve() {
    let server = sim().await;
    let first = json_of(get_run(&server, "run_happy-h1").await).await;
    assert_eq!(first["status"], "queued");
    assert_eq!(first["steps"].as_array().unwrap().len(), 12);
    assert!(first["completedAt"].is_null());
    let set = admin(
        &server,
        Method::POST,
        "/runs/run_happy-h1/clock",
        json!({"elapsedMs": 90000}),
    )
    .await;
    assert_eq!(set.status(), StatusCode::OK);
    let done = json_of(get_run(&server, "run_happy-h1").await).await;
    assert_eq!(done["status"], "succeeded");
    assert!(done["completedAt"].as_str().unwrap().ends_with('Z'));
    let media = server.media_url();
    assert!(done["finalOutputs"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with(&media));
    // Another suffix is an independent instance.
    let other = json_of(get_run(&server, "run_happy-h2").await).await;
    assert_eq!(other["status"], "queued");
    server.shutdown().await;
}

#[tokio::test]
async fn auth_failures_answer_401_in_the_documented_shape() {
    let server = sim().await;
    let url = format!("{}/api/v1/runs/run_abc123", server.api_url());
    let missing = client().get(&url).send().await.unwrap();
    assert_error(missing, StatusCode::UNAUTHORIZED, "unauthorized").await;
    for value in [
        "Token abc",
        "Bearer",
        &format!("bearer{DEMO_KEY}"),
        "Bearer sk_wrong",
    ] {
        let response = client()
            .get(&url)
            .header("authorization", value)
            .send()
            .await
            .unwrap();
        let body = assert_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
        assert!(!body.to_string().contains(DEMO_KEY));
    }
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_runs_paths_and_projects_are_errors() {
    let server = sim().await;
    assert_error(
        get_run(&server, "run_nope").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        get_run(&server, "xyz").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let path = client()
        .get(format!("{}/api/v2/whatever", server.api_url()))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_error(path, StatusCode::NOT_FOUND, "not_found").await;
    let url = format!("{}/api/v1/runs/run_abc123", server.api_url());
    for (project, ok) in [("nope", false), ("has space", false), ("team-A_1", true)] {
        let response = client()
            .get(&url)
            .bearer_auth(DEMO_KEY)
            .header("x-wonda-project", project)
            .send()
            .await
            .unwrap();
        if ok {
            assert_eq!(response.status(), StatusCode::OK);
        } else {
            assert_error(response, StatusCode::BAD_REQUEST, "unknown_project").await;
        }
    }
    server.shutdown().await;
}

#[tokio::test]
async fn cors_preflight_allows_local_origins_and_exposes_retry_after() {
    let server = sim().await;
    let url = format!("{}/api/v1/runs/run_abc123", server.api_url());
    let preflight = client()
        .request(Method::OPTIONS, &url)
        .header("origin", "http://127.0.0.1:5555")
        .header("access-control-request-method", "GET")
        .header(
            "access-control-request-headers",
            "authorization,x-wonda-project",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    let h = preflight.headers();
    assert_eq!(h["access-control-allow-origin"], "http://127.0.0.1:5555");
    let allowed = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(allowed.contains("authorization") && allowed.contains("x-wonda-project"));
    assert!(h["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("GET"));
    assert_eq!(h["access-control-max-age"], "600");
    let get = client()
        .get(&url)
        .bearer_auth(DEMO_KEY)
        .header("origin", "http://localhost:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(
        get.headers()["access-control-allow-origin"],
        "http://localhost:8080"
    );
    let exposed = get.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(exposed.contains("retry-after"));
    let foreign = client()
        .get(&url)
        .bearer_auth(DEMO_KEY)
        .header("origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(foreign
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    let log = sim_log(&server, "").await;
    assert_eq!(log[0]["method"], "OPTIONS");
    server.shutdown().await;
}

/// Requests 1..=5 of `run_fault_<kind>-<suffix>`; returns them for inspection.
async fn fault_sequence(server: &Server, kind: &str) -> Vec<Response> {
    let mut responses = Vec::new();
    for _ in 0..5 {
        responses.push(get_run(server, &format!("run_fault_{kind}-t")).await);
    }
    responses
}

#[tokio::test]
async fn every_fault_kind_fails_requests_two_to_four_then_recovers() {
    let server = sim().await;
    let cases: &[(&str, u16)] = &[
        ("429", 429),
        ("429_date", 429),
        ("throttled", 429),
        ("500", 500),
        ("502", 502),
        ("503", 503),
        ("gateway_html", 503),
        ("malformed", 200),
        ("truncated", 200),
        ("empty", 200),
        ("wrong_types", 200),
    ];
    for &(kind, status) in cases {
        let mut responses = fault_sequence(&server, kind).await.into_iter();
        let first = responses.next().unwrap();
        assert_eq!(first.status(), 200, "{kind}");
        let good = json_of(first).await;
        assert_eq!(good["runId"], format!("run_fault_{kind}-t"));
        for n in 2..=4 {
            let r = responses.next().unwrap();
            assert_eq!(r.status().as_u16(), status, "{kind} request {n}");
            let headers = r.headers().clone();
            let body = r.text().await.unwrap();
            check_fault(kind, &headers, &body);
        }
        let last = responses.next().unwrap();
        assert_eq!(last.status(), 200, "{kind} recovers");
        assert_eq!(json_of(last).await["runId"], good["runId"]);
    }
    let streak: Vec<u16> = fault_sequence(&server, "streak")
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(streak, vec![500, 500, 500, 200, 200]);
    server.shutdown().await;
}

fn check_fault(kind: &str, headers: &HeaderMap, body: &str) {
    let code = || serde_json::from_str::<Value>(body).unwrap()["error"]["code"].clone();
    match kind {
        "429" => {
            assert_eq!(headers["retry-after"], "3");
            assert_eq!(code(), "rate_limit_exceeded");
        }
        "429_date" => {
            let date = httpdate::parse_http_date(headers["retry-after"].to_str().unwrap()).unwrap();
            let ahead = date
                .duration_since(std::time::SystemTime::now())
                .unwrap_or_default();
            assert!(ahead <= Duration::from_secs(4), "{ahead:?}");
            assert_eq!(code(), "rate_limit_exceeded");
        }
        "throttled" => {
            let v: Value = serde_json::from_str(body).unwrap();
            assert_eq!(v["error"]["code"], "throttled");
            let defer = v["error"]["deferUntil"].as_str().unwrap();
            let at = runview_sim::timestamp::parse_rfc3339_ms(defer).unwrap();
            let delta = at - runview_sim::timestamp::now_unix_ms();
            assert!((2_000..=4_100).contains(&delta), "{delta}");
        }
        "500" => assert_eq!(code(), "internal_server_error"),
        "502" => {
            assert!(headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"));
            assert!(body.contains("<html>") && body.contains("Bad Gateway"));
        }
        "503" => assert_eq!(headers["retry-after"], "2"),
        "gateway_html" => {
            assert!(headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"));
            for part in ["<title>", "<style>", "<script>", "&nbsp;"] {
                assert!(body.contains(part), "{part}");
            }
        }
        "malformed" | "truncated" => {
            assert!(!body.is_empty());
            assert!(
                serde_json::from_str::<Value>(body).is_err(),
                "{kind}: {body}"
            );
            if kind == "truncated" {
                assert!(body.starts_with("{\"runId\":\"run_fault_truncated-t\""));
            }
        }
        "empty" => assert!(body.is_empty()),
        "wrong_types" => {
            let v: Value = serde_json::from_str(body).unwrap();
            assert!(v["progress"]["totalSteps"].is_string());
            assert!(v["steps"].is_array());
        }
        other => panic!("unexpected kind {other}"),
    }
}

#[tokio::test]
async fn hang_never_answers_until_the_client_gives_up() {
    let server = sim().await;
    assert_eq!(get_run(&server, "run_fault_hang-a").await.status(), 200);
    let impatient = Client::builder()
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let result = impatient
        .get(format!("{}/api/v1/runs/run_fault_hang-a", server.api_url()))
        .bearer_auth(DEMO_KEY)
        .send()
        .await;
    assert!(result.unwrap_err().is_timeout());
    assert!(started.elapsed() >= Duration::from_millis(900));
    let log = sim_log(&server, "?runId=run_fault_hang-a").await;
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert!(log[1]["status"].is_null());
    // Shutdown is not held up by the hanging request.
    tokio::time::timeout(Duration::from_secs(5), server.shutdown())
        .await
        .unwrap();
}

#[tokio::test]
async fn admin_faults_clock_requests_and_reset() {
    let server = sim().await;
    let run = "run_happy-adm";
    let set = admin(
        &server,
        Method::POST,
        "/faults",
        json!({"runId": run, "fault": "503", "count": 2}),
    )
    .await;
    assert_eq!(set.status(), 200);
    let statuses = [
        get_run(&server, run).await.status(),
        get_run(&server, run).await.status(),
        get_run(&server, run).await.status(),
    ];
    assert_eq!(statuses, [503, 503, 200]);
    // Without count: until cleared; works on the golden run too.
    admin(
        &server,
        Method::POST,
        "/faults",
        json!({"runId": "run_abc123", "fault": "empty"}),
    )
    .await;
    for _ in 0..3 {
        assert!(get_run(&server, "run_abc123")
            .await
            .text()
            .await
            .unwrap()
            .is_empty());
    }
    let cleared = admin(&server, Method::DELETE, "/faults", Value::Null).await;
    assert!(cleared.status().is_success());
    assert_eq!(
        get_run(&server, "run_abc123").await.text().await.unwrap(),
        FIXTURE
    );
    let bad = admin(
        &server,
        Method::POST,
        "/faults",
        json!({"runId": run, "fault": "teapot"}),
    )
    .await;
    assert_error(bad, StatusCode::BAD_REQUEST, "validation_error").await;
    // Clock: skip to the middle of the failed scenario (creates the instance).
    let clock = admin(
        &server,
        Method::POST,
        "/runs/run_failed-c/clock",
        json!({"elapsedMs": 120000}),
    )
    .await;
    assert_eq!(clock.status(), 200);
    assert_eq!(
        json_of(get_run(&server, "run_failed-c").await).await["status"],
        "failed"
    );
    let unknown = admin(
        &server,
        Method::POST,
        "/runs/run_nope/clock",
        json!({"elapsedMs": 1}),
    )
    .await;
    assert_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    // Request log: in order, auth classified, never the key.
    client()
        .get(format!("{}/api/v1/runs/{run}", server.api_url()))
        .bearer_auth("sk_wrong")
        .send()
        .await
        .unwrap();
    let raw = client()
        .get(format!("{}/_sim/requests?runId={run}", server.api_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!raw.contains(DEMO_KEY) && !raw.contains("sk_wrong"));
    let log: Value = serde_json::from_str(&raw).unwrap();
    let entries = log.as_array().unwrap();
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[0]["status"], 503);
    assert_eq!(entries[0]["auth"], "ok");
    assert_eq!(entries[3]["auth"], "wrong");
    assert_eq!(entries[3]["status"], 401);
    assert!(entries
        .windows(2)
        .all(|w| w[0]["seq"].as_u64() < w[1]["seq"].as_u64()));
    assert!(entries
        .windows(2)
        .all(|w| w[0]["atMs"].as_f64() <= w[1]["atMs"].as_f64()));
    assert_eq!(entries[0]["path"], format!("/api/v1/runs/{run}"));
    // Reset: log empty, instances forgotten.
    let reset = admin(&server, Method::POST, "/reset", Value::Null).await;
    assert!(reset.status().is_success());
    let all = sim_log(&server, "").await;
    assert_eq!(all.as_array().unwrap().len(), 0);
    assert_eq!(
        json_of(get_run(&server, "run_failed-c").await).await["status"],
        "queued"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn blueprint_runs_list_requested_and_base_runs() {
    let server = sim().await;
    get_run(&server, "run_retries-bp").await;
    let list = json_of(
        client()
            .get(format!(
                "{}/api/v1/blueprints/bp_shorts/runs",
                server.api_url()
            ))
            .bearer_auth(DEMO_KEY)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let runs = list["runs"].as_array().unwrap();
    assert_eq!(runs[0]["runId"], "run_retries-bp");
    assert_eq!(runs[0]["blueprintId"], "bp_shorts");
    assert!(runs.iter().any(|r| r["runId"] == "run_take_6"));
    let finished = runs.iter().find(|r| r["runId"] == "run_finished").unwrap();
    assert_eq!(finished["status"], "succeeded");
    assert!(runs[0]["thumbnailUrl"].as_str().unwrap().ends_with(".png"));
    for key in [
        "runId",
        "blueprintId",
        "status",
        "createdAt",
        "startedAt",
        "completedAt",
        "progress",
        "thumbnailUrl",
    ] {
        assert!(runs[0].get(key).is_some(), "{key}");
    }
    let missing = client()
        .get(format!(
            "{}/api/v1/blueprints/bp_nope/runs",
            server.api_url()
        ))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap();
    assert_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    let unauth = client()
        .get(format!(
            "{}/api/v1/blueprints/bp_shorts/runs",
            server.api_url()
        ))
        .send()
        .await
        .unwrap();
    assert_error(unauth, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_starts_a_run(&server, "bp_publish", "run_publish-").await;
    server.shutdown().await;
}

#[tokio::test]
async fn media_origin_serves_real_files_with_ranges_and_open_cors() {
    let server = sim().await;
    let media = server.media_url();
    let cases = [
        ("/media/img/ab12-1280x720.png", "image/png"),
        ("/media/clip.webm", "video/webm"),
        ("/media/clip.mp4", "video/mp4"),
        ("/media/narration.ogg", "audio/ogg"),
        ("/media/script.txt", "text/plain"),
        ("/media/scene.glb", "model/gltf-binary"),
    ];
    for (path, mime) in cases {
        let r = client()
            .get(format!("{media}{path}"))
            .header("origin", "http://localhost:3000")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(mime),
            "{path}"
        );
        assert_eq!(r.headers()["access-control-allow-origin"], "*");
        assert!(r
            .headers()
            .get("access-control-allow-credentials")
            .is_none());
        let bytes = r.bytes().await.unwrap();
        assert!(!bytes.is_empty());
        if mime == "image/png" {
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        }
    }
    let ranged = client()
        .get(format!("{media}/media/clip.webm"))
        .header("range", "bytes=0-99")
        .header("origin", "http://localhost:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
    let h = ranged.headers();
    assert!(h["content-range"]
        .to_str()
        .unwrap()
        .starts_with("bytes 0-99/"));
    assert_eq!(h["accept-ranges"], "bytes");
    let exposed = h["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(exposed.contains("content-range") && exposed.contains("accept-ranges"));
    assert_eq!(ranged.bytes().await.unwrap().len(), 100);
    let missing = client()
        .get(format!("{media}/media/nope.webm"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    server.shutdown().await;
}

#[tokio::test]
async fn app_dir_serves_the_spa_with_fallback_and_precompression() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>runview</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("app.js"), "console.log('plain')").unwrap();
    std::fs::write(dir.path().join("app.js.gz"), b"gz-bytes").unwrap();
    let server = start(Config {
        app_dir: Some(dir.path().to_path_buf()),
        ..Config::ephemeral()
    })
    .await
    .unwrap();
    let api = server.api_url();
    for path in ["/", "/runs/run_demo"] {
        let r = client().get(format!("{api}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(r.headers()["cache-control"], "no-cache");
        assert!(r.text().await.unwrap().contains("<title>runview</title>"));
    }
    let js = client().get(format!("{api}/app.js")).send().await.unwrap();
    assert_eq!(js.text().await.unwrap(), "console.log('plain')");
    let gz = client()
        .get(format!("{api}/app.js"))
        .header("accept-encoding", HeaderValue::from_static("gzip"))
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    assert_eq!(gz.bytes().await.unwrap().as_ref(), b"gz-bytes");
    let api_404 = client()
        .get(format!("{api}/api/v1/nope"))
        .send()
        .await
        .unwrap();
    assert_error(api_404, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        get_run(&server, "run_abc123").await.text().await.unwrap(),
        FIXTURE
    );
    server.shutdown().await;
}

#[tokio::test]
async fn explicit_allow_origins_replace_the_local_default() {
    let server = start(Config {
        allow_origins: vec!["https://app.example".into()],
        ..Config::ephemeral()
    })
    .await
    .unwrap();
    let url = format!("{}/api/v1/runs/run_abc123", server.api_url());
    for (origin, allowed) in [
        ("https://app.example", true),
        ("http://localhost:5555", false),
    ] {
        let r = client()
            .get(&url)
            .bearer_auth(DEMO_KEY)
            .header("origin", origin)
            .send()
            .await
            .unwrap();
        let got = r.headers().get("access-control-allow-origin");
        assert_eq!(got.is_some(), allowed, "{origin}");
    }
    // Admin routes answer preflights like the API.
    let preflight = client()
        .request(Method::OPTIONS, format!("{}/_sim/faults", server.api_url()))
        .header("origin", "https://app.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap();
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    server.shutdown().await;
}

/// One page of a blueprint's history.
async fn history(server: &Server, blueprint: &str, query: &str) -> Response {
    client()
        .get(format!(
            "{}/api/v1/blueprints/{blueprint}/runs{query}",
            server.api_url()
        ))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap()
}

fn ids_and_statuses(page: &Value) -> Vec<(String, String)> {
    page["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["runId"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn history_pages_newest_first_with_a_cursor() {
    let server = sim().await;
    let first = json_of(history(&server, "bp_shorts", "").await).await;
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        ids_and_statuses(&first),
        pairs(&[
            ("run_take_6", "running"),
            ("run_finished", "succeeded"),
            ("run_take_5", "succeeded"),
            ("run_take_4", "succeeded"),
            ("run_take_3", "canceled"),
        ])
    );
    let cursor = first["nextCursor"].as_str().unwrap().to_string();
    let second = json_of(history(&server, "bp_shorts", &format!("?cursor={cursor}")).await).await;
    assert_eq!(
        ids_and_statuses(&second),
        pairs(&[("run_take_2", "failed"), ("run_take_1", "succeeded")])
    );
    assert_eq!(second["nextCursor"], Value::Null);
    let live = &first["runs"][0];
    assert_eq!(live["progress"]["totalSteps"], 12);
    assert_eq!(live["completedAt"], Value::Null);
    // A run started between two pages goes to the top of page one and
    // shifts nothing on the next page.
    get_run(&server, "run_happy-new").await;
    let again = json_of(history(&server, "bp_shorts", "?limit=1").await).await;
    assert_eq!(again["runs"][0]["runId"], "run_happy-new");
    let after = json_of(history(&server, "bp_shorts", &format!("?cursor={cursor}")).await).await;
    assert_eq!(ids_and_statuses(&after), ids_and_statuses(&second));
    let all = json_of(history(&server, "bp_shorts", "?limit=50").await).await;
    assert_eq!(all["runs"].as_array().unwrap().len(), 8);
    assert_eq!(all["nextCursor"], Value::Null);
    for bad in ["?limit=0", "?limit=51", "?limit=x", "?cursor=nope"] {
        assert_error(
            history(&server, "bp_shorts", bad).await,
            StatusCode::BAD_REQUEST,
            "validation_error",
        )
        .await;
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_live_take_moves_on_between_listings() {
    let server = sim().await;
    let progress = |page: &Value| {
        page["runs"][0]["progress"]["completedSteps"]
            .as_u64()
            .unwrap()
    };
    let before = json_of(history(&server, "bp_shorts", "?limit=1").await).await;
    assert_eq!(before["runs"][0]["runId"], "run_take_6");
    admin(
        &server,
        Method::POST,
        "/runs/run_take_6/clock",
        json!({ "elapsedMs": 60_000 }),
    )
    .await;
    let after = json_of(history(&server, "bp_shorts", "?limit=1").await).await;
    assert_eq!(after["runs"][0]["status"], "succeeded");
    assert_eq!(progress(&after), 12);
    assert!(progress(&before) < 12);
    server.shutdown().await;
}

#[tokio::test]
async fn the_batch_blueprint_lists_its_run_and_starts_new_ones() {
    let server = sim().await;
    let page = json_of(history(&server, "bp_batch", "").await).await;
    let ids: Vec<String> = ids_and_statuses(&page)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(ids, ["run_batch"]);
    assert_starts_a_run(&server, "bp_batch", "run_batch-").await;
    server.shutdown().await;
}
