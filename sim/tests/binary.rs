//! The real binary: READY line on stdout, logs on stderr without the key,
//! clean exit on SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

use runview_sim::DEMO_KEY;

#[tokio::test]
async fn binary_prints_ready_serves_and_exits_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_runview-sim"))
        .args(["--port", "0", "--media-port", "0", "--speed", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the simulator");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let line = line.trim_end();
    let parts: Vec<&str> = line.split(' ').collect();
    assert_eq!(parts.len(), 3, "{line}");
    assert_eq!(parts[0], "READY");
    let api = parts[1]
        .strip_prefix("api=http://127.0.0.1:")
        .expect("api url");
    let media = parts[2]
        .strip_prefix("media=http://127.0.0.1:")
        .expect("media url");
    assert!(api.parse::<u16>().is_ok() && media.parse::<u16>().is_ok());
    let api = format!("http://127.0.0.1:{api}");

    let client = reqwest::Client::new();
    let run: serde_json::Value = client
        .get(format!("{api}/api/v1/runs/run_demo"))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let image_url = format!("http://127.0.0.1:{media}/media/");
    assert_eq!(run["runId"], "run_demo");
    let set = client
        .post(format!("{api}/_sim/runs/run_demo/clock"))
        .body(r#"{"elapsedMs": 60000}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(set.status(), 200);
    let done: serde_json::Value = client
        .get(format!("{api}/api/v1/runs/run_demo"))
        .bearer_auth(DEMO_KEY)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(done["finalOutputs"][0]["url"]
        .as_str()
        .unwrap()
        .starts_with(&image_url));
    client
        .get(format!("{api}/api/v1/runs/run_demo"))
        .bearer_auth("sk_not_the_key")
        .send()
        .await
        .unwrap();

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let mut status = None;
    for _ in 0..100 {
        if let Some(s) = child.try_wait().unwrap() {
            status = Some(s);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let status = status.expect("exits within 5 s of SIGTERM");
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(rest.is_empty(), "only the READY line on stdout: {rest}");
    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(logs.contains("/api/v1/runs/run_demo") && logs.contains("status=401"));
    assert!(!logs.contains(DEMO_KEY) && !logs.contains("sk_not_the_key"));
}
