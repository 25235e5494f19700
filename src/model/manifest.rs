//! The manifest of a run's outputs ("Download all"): one row per output
//! (every step's outputs in the API's order, then final outputs no step
//! listed), written as JSON or CSV, and a file name for each download.
//!
//! CSV follows RFC 4180 (a cell with a comma, quote or line break is quoted,
//! quotes doubled) and is safe to open in a spreadsheet: a cell that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` so
//! it is never read as a formula.

use crate::api::{Output, OutputType, Run};
use serde::Serialize;
use std::collections::HashSet;

/// One output in the manifest.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestRow {
    /// The step's id (empty for a final output no step listed).
    pub step_id: String,
    /// The step's name.
    pub step: String,
    /// `inference`, `editor`, `output` (publish) or the API's other word.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its `outputId`.
    pub output_id: String,
    /// Its MIME type, if the API gave one.
    pub mime: Option<String>,
    /// Its size in bytes, if the API gave one (`size`, `sizeBytes` or `bytes`).
    pub size: Option<u64>,
    /// Its URL, if the API gave one.
    pub url: Option<String>,
}

/// The word the API uses for an output type.
pub fn type_word(kind: &OutputType) -> &str {
    match kind {
        OutputType::Inference => "inference",
        OutputType::Editor => "editor",
        OutputType::Publish => "output",
        OutputType::Unknown(s) => s,
    }
}

fn size_of(output: &Output) -> Option<u64> {
    ["size", "sizeBytes", "bytes"]
        .iter()
        .find_map(|k| output.extra.get(*k).and_then(serde_json::Value::as_u64))
}

fn row(step_id: &str, step: &str, output: &Output) -> ManifestRow {
    ManifestRow {
        step_id: step_id.to_string(),
        step: step.to_string(),
        kind: type_word(&output.kind).to_string(),
        output_id: output.output_id.clone(),
        mime: output.mime_type.clone(),
        size: size_of(output),
        url: output.url.clone(),
    }
}

/// Every output of the run: the steps' outputs in order, then the final
/// outputs whose `outputId` no step listed.
pub fn rows(run: &Run) -> Vec<ManifestRow> {
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for step in &run.steps {
        for output in &step.outputs {
            seen.insert(output.output_id.as_str());
            rows.push(row(&step.step_id, &step.name, output));
        }
    }
    for output in &run.final_outputs {
        if output.output_id.is_empty() || !seen.contains(output.output_id.as_str()) {
            rows.push(row("", "", output));
        }
    }
    rows
}

/// The manifest as JSON: `{"runId": …, "outputs": [rows]}`, pretty-printed.
pub fn to_json(run_id: &str, rows: &[ManifestRow]) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Manifest<'a> {
        run_id: &'a str,
        outputs: &'a [ManifestRow],
    }
    serde_json::to_string_pretty(&Manifest {
        run_id,
        outputs: rows,
    })
    .unwrap_or_default()
}

/// The CSV header line's cells.
pub const CSV_HEADER: [&str; 7] = [
    "step_id",
    "step",
    "type",
    "output_id",
    "mime",
    "size",
    "url",
];

/// One CSV cell: formula-safe, then quoted if it needs to be.
pub fn csv_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

/// The manifest as CSV (CRLF line ends, a header line first).
pub fn to_csv(rows: &[ManifestRow]) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for r in rows {
        let size = r.size.map(|s| s.to_string()).unwrap_or_default();
        let cells = [
            r.step_id.as_str(),
            &r.step,
            &r.kind,
            &r.output_id,
            r.mime.as_deref().unwrap_or(""),
            &size,
            r.url.as_deref().unwrap_or(""),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A file name for the `index`th download (from 0): its number, step and
/// output id, then the extension of the URL's last segment (or of its MIME
/// type), reduced to letters, digits, `-`, `_` and `.`:
/// `003-render_video-ejo_1.mp4`.
pub fn file_name(index: usize, row: &ManifestRow) -> String {
    let clean = |s: &str, max: usize| -> String {
        let mut out: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(max)
            .collect();
        if out.is_empty() {
            out.push('x');
        }
        out
    };
    let from_url = row
        .url
        .as_deref()
        .map(|u| u.split(['?', '#']).next().unwrap_or(""))
        .and_then(|u| u.rsplit('/').next())
        .and_then(|last| last.rsplit_once('.').map(|(_, ext)| ext))
        .filter(|ext| {
            (1..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric())
        });
    let from_mime = row
        .mime
        .as_deref()
        .and_then(|m| m.split(';').next())
        .and_then(|m| m.split_once('/'))
        .map(|(_, sub)| match sub.trim() {
            "plain" => "txt",
            "mpeg" => "mp3",
            "jpeg" => "jpg",
            other => other,
        })
        .filter(|ext| {
            (1..=5).contains(&ext.len()) && ext.chars().all(|c| c.is_ascii_alphanumeric())
        });
    let ext = from_url.or(from_mime).unwrap_or("bin").to_ascii_lowercase();
    let step = if row.step.is_empty() {
        "final"
    } else {
        &row.step
    };
    format!(
        "{:03}-{}-{}.{ext}",
        index + 1,
        clean(step, 40),
        clean(&row.output_id, 40)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::decode::decode_run;

    fn golden() -> Run {
        decode_run(
            200,
            include_str!("../../tests/fixtures/run_abc123.json"),
            None,
        )
        .unwrap()
    }

    #[test]
    fn every_step_output_in_order_and_final_outputs_once() {
        let run = golden();
        let rows = rows(&run);
        let ids: Vec<(&str, &str)> = rows
            .iter()
            .map(|r| (r.step_id.as_str(), r.output_id.as_str()))
            .collect();
        assert_eq!(ids, [("step_001", "ijo_1"), ("step_002", "ejo_1")]);
        assert_eq!(rows[1].kind, "editor");
        assert_eq!(rows[1].mime.as_deref(), Some("video/mp4"));
        assert_eq!(
            rows[1].url.as_deref(),
            Some("https://storage.example.com/video.mp4")
        );
    }

    #[test]
    fn a_final_output_no_step_listed_is_added_and_sizes_are_read() {
        let mut run = golden();
        let mut extra = run.final_outputs[0].clone();
        extra.output_id = "only_final".into();
        extra
            .extra
            .insert("sizeBytes".into(), serde_json::json!(1234));
        run.final_outputs.push(extra);
        let rows = rows(&run);
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[2].step_id.as_str(), rows[2].size), ("", Some(1234)));
    }

    #[test]
    fn csv_quotes_what_needs_quoting_and_defuses_formulas() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell(""), "");
    }

    #[test]
    fn csv_has_a_header_and_one_line_per_output() {
        let mut run = golden();
        run.steps[0].name = "=cmd, \"evil\"".into();
        let csv = to_csv(&rows(&run));
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], "step_id,step,type,output_id,mime,size,url");
        assert_eq!(
            lines[1],
            "step_001,\"'=cmd, \"\"evil\"\"\",inference,ijo_1,image/png,,https://storage.example.com/output.png"
        );
        assert_eq!(lines.len(), 4, "header, two rows, final CRLF");
        assert_eq!(lines[3], "");
    }

    #[test]
    fn json_names_the_run_and_every_field() {
        let run = golden();
        let json: serde_json::Value =
            serde_json::from_str(&to_json("run_abc123", &rows(&run))).unwrap();
        assert_eq!(json["runId"], "run_abc123");
        assert_eq!(json["outputs"][0]["type"], "inference");
        assert_eq!(json["outputs"][0]["stepId"], "step_001");
        assert_eq!(json["outputs"][0]["size"], serde_json::Value::Null);
        assert_eq!(json["outputs"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn file_names_are_numbered_clean_and_keep_the_extension() {
        let run = golden();
        let rows = rows(&run);
        assert_eq!(file_name(0, &rows[0]), "001-generate_background-ijo_1.png");
        assert_eq!(file_name(1, &rows[1]), "002-render_video-ejo_1.mp4");
        let odd = ManifestRow {
            step: "../../etc/passwd".into(),
            url: Some("https://h/x?y=a.exe".into()),
            mime: Some("text/plain; charset=utf-8".into()),
            ..rows[0].clone()
        };
        assert_eq!(file_name(9, &odd), "010-______etc_passwd-ijo_1.txt");
        let none = ManifestRow {
            url: None,
            mime: None,
            step: String::new(),
            output_id: String::new(),
            ..rows[0].clone()
        };
        assert_eq!(file_name(0, &none), "001-final-x.bin");
    }
}
