//! The offsets file: what it reads, what it refuses and why, how it writes, and that every value
//! survives the trip.

use std::fs;
use std::io;
use std::path::Path;

use confluent_connect::{
    ConnectorOffsets, JsonObject, OffsetsFile, OffsetsFileError, PartitionOffset,
};
use serde_json::{Value, json};

fn object(value: Value) -> JsonObject {
    match value {
        Value::Object(object) => object,
        other => panic!("not an object: {other}"),
    }
}

fn entry(partition: Value, offset: Value) -> PartitionOffset {
    PartitionOffset::new(object(partition), object(offset))
        .expect("objects of plain values make an entry")
}

fn message(bytes: &str) -> String {
    OffsetsFile::from_slice(bytes.as_bytes())
        .expect_err("the input should be refused")
        .to_string()
}

/// The names in a directory, sorted.
fn listing(directory: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(directory)
        .expect("the directory lists")
        .map(|entry| {
            entry
                .expect("the entry reads")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

// What an offsets file holds, as every message about its overall shape repeats it.
const SHAPE: &str = r#"an offsets file holds {"offsets": [{"partition": {...}, "offset": {...}}, ...]}, as GET .../offsets returns it"#;

// ---------------------------------------------------------------------------------------------
// Reading what the services and tools write

#[test]
fn reads_the_sink_example_of_the_confluent_cloud_get_ignoring_name_id_and_metadata() {
    let body = r#"{
        "id": "lcc-as341",
        "name": "MysqlSinkConnector",
        "offsets": [
            {"partition": {"kafka_partition": 0, "kafka_topic": "topic_A"},
             "offset": {"kafka_offset": 20032323}},
            {"partition": {"kafka_partition": 1, "kafka_topic": "topic_B"},
             "offset": {"kafka_offset": 20032322}}
        ],
        "metadata": {"observed_at": "2024-02-20 15:14:19+00:00"}
    }"#;
    assert_eq!(
        OffsetsFile::from_slice(body.as_bytes()).unwrap(),
        OffsetsFile {
            offsets: vec![
                entry(
                    json!({"kafka_partition": 0, "kafka_topic": "topic_A"}),
                    json!({"kafka_offset": 20032323})
                ),
                entry(
                    json!({"kafka_partition": 1, "kafka_topic": "topic_B"}),
                    json!({"kafka_offset": 20032322})
                ),
            ]
        }
    );
}

#[test]
fn reads_the_source_example_of_the_confluent_cloud_get() {
    let body = r#"{
        "id": "lcc-21sdda",
        "name": "MysqlSourceConnector",
        "offsets": [
            {"partition": {"protocol": 1, "table": "sourcedb.sourcetable"},
             "offset": {"timestamp_nanos": 0, "incrementing": 3, "timestamp": 1699142400000}}
        ],
        "metadata": {"observed_at": "2024-02-20 15:14:19+00:00"}
    }"#;
    assert_eq!(
        OffsetsFile::from_slice(body.as_bytes()).unwrap(),
        OffsetsFile {
            offsets: vec![entry(
                json!({"protocol": 1, "table": "sourcedb.sourcetable"}),
                json!({"timestamp_nanos": 0, "incrementing": 3, "timestamp": 1699142400000_u64})
            )]
        }
    );
}

#[test]
fn reads_a_kafka_connect_get_body_with_sink_and_source_shapes() {
    let body = r#"{"offsets": [
        {"partition": {"kafka_topic": "orders", "kafka_partition": 2},
         "offset": {"kafka_offset": 4}},
        {"partition": {"filename": "/data/orders.csv"},
         "offset": {"position": 30}}
    ]}"#;
    assert_eq!(
        OffsetsFile::from_slice(body.as_bytes()).unwrap(),
        OffsetsFile {
            offsets: vec![
                entry(
                    json!({"kafka_topic": "orders", "kafka_partition": 2}),
                    json!({"kafka_offset": 4})
                ),
                entry(
                    json!({"filename": "/data/orders.csv"}),
                    json!({"position": 30})
                ),
            ]
        }
    );
}

#[test]
fn reads_an_empty_offsets_array() {
    assert_eq!(
        OffsetsFile::from_slice(br#"{"offsets": []}"#).unwrap(),
        OffsetsFile { offsets: vec![] }
    );
}

#[test]
fn ignores_any_other_top_level_key_whatever_its_value() {
    let body = r#"{"comment": "moved from the self-managed cluster", "version": 99999999999999999999,
        "offsets": [{"partition": {"server": "db1"}, "offset": {"pos": 4}}], "extra": [null]}"#;
    assert_eq!(
        OffsetsFile::from_slice(body.as_bytes()).unwrap(),
        OffsetsFile {
            offsets: vec![entry(json!({"server": "db1"}), json!({"pos": 4}))]
        }
    );
}

#[test]
fn reads_the_last_of_duplicate_offsets_keys_as_serde_json_does() {
    let body = r#"{"offsets": [{"partition": {"p": 0}, "offset": {"o": 18446744073709551616}}],
                  "offsets": [{"partition": {"p": 1}, "offset": {"o": 1}}]}"#;
    assert_eq!(
        OffsetsFile::from_slice(body.as_bytes()).unwrap(),
        OffsetsFile {
            offsets: vec![entry(json!({"p": 1}), json!({"o": 1}))]
        }
    );
}

#[test]
fn reads_a_file_that_starts_with_a_utf8_byte_order_mark() {
    assert_eq!(
        OffsetsFile::from_slice(b"\xEF\xBB\xBF{\"offsets\": []}").unwrap(),
        OffsetsFile { offsets: vec![] }
    );
}

#[test]
fn reads_a_file_by_its_path() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("offsets.json");
    fs::write(
        &path,
        r#"{"offsets": [{"partition": {"name": "repo"}, "offset": {"since": "2024-01-01"}}]}"#,
    )
    .unwrap();
    assert_eq!(
        OffsetsFile::read(&path).unwrap(),
        OffsetsFile {
            offsets: vec![entry(
                json!({"name": "repo"}),
                json!({"since": "2024-01-01"})
            )]
        }
    );
}

#[test]
fn reads_a_stream_to_its_end() {
    let stream = io::Cursor::new(
        br#"{"offsets": [{"partition": {"ns": "db.c"}, "offset": {"_id": "{\"a\": 1}"}}]}"#,
    );
    assert_eq!(
        OffsetsFile::from_reader(stream).unwrap(),
        OffsetsFile {
            offsets: vec![entry(json!({"ns": "db.c"}), json!({"_id": "{\"a\": 1}"}))]
        }
    );
}

#[test]
fn deserialize_refuses_an_unknown_key_in_an_entry_as_from_slice_does() {
    let error =
        serde_json::from_str::<OffsetsFile>(r#"{"offsets": [{"partition": {}, "ofset": {}}]}"#)
            .unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown field `ofset`, expected `partition` or `offset` at line 1 column 38"
    );
}

// ---------------------------------------------------------------------------------------------
// Refusing what is not an offsets file, saying where and why

#[test]
fn refuses_text_that_is_not_json_with_its_line_and_column() {
    let text =
        "{\n  \"offsets\": [\n    {\"partition\": {\"p\": 0} \"offset\": {\"o\": 1}}\n  ]\n}\n";
    assert_eq!(
        message(text),
        format!(
            "the input is not valid JSON: expected `,` or `}}` at line 3, column 28. Fix it \
             there: {SHAPE}"
        )
    );
}

#[test]
fn refuses_text_that_is_not_json_naming_the_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("offsets.json");
    fs::write(&path, "{\"offsets\": [}").unwrap();
    let error = OffsetsFile::read(&path).unwrap_err();
    assert_eq!(error.path(), Some(path.as_path()));
    assert_eq!(
        error.to_string(),
        format!(
            "offsets file {} is not valid JSON: expected value at line 1, column 14. Fix it \
             there: {SHAPE}",
            path.display()
        )
    );
}

#[test]
fn refuses_an_empty_input() {
    assert_eq!(message(" \n"), format!("the input is empty: {SHAPE}"));
}

#[test]
fn refuses_a_file_that_does_not_exist_naming_it() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("missing.json");
    let error = OffsetsFile::read(&path).unwrap_err();
    let OffsetsFileError::Read {
        path: Some(in_error),
        source,
    } = &error
    else {
        panic!("not a read error: {error:?}");
    };
    assert_eq!(in_error, &path);
    assert_eq!(source.kind(), io::ErrorKind::NotFound);
    assert_eq!(
        error.to_string(),
        format!(
            "cannot read offsets file {}: {source}. Check the path and its permissions",
            path.display()
        )
    );
}

#[test]
fn refuses_a_top_level_array() {
    assert_eq!(
        message(r#"[{"partition": {}, "offset": {}}]"#),
        format!("the input holds an array, not a JSON object: {SHAPE}")
    );
}

#[test]
fn refuses_a_top_level_string() {
    assert_eq!(
        message(r#""offsets""#),
        format!("the input holds a string, not a JSON object: {SHAPE}")
    );
}

#[test]
fn refuses_an_object_without_offsets() {
    assert_eq!(
        message(r#"{"name": "orders-sink", "offset": []}"#),
        format!(r#"the input has no "offsets" key: {SHAPE}"#)
    );
}

#[test]
fn refuses_offsets_that_are_an_object() {
    assert_eq!(
        message(r#"{"offsets": {"partition": {}, "offset": {}}}"#),
        format!(r#""offsets" is an object, not an array: {SHAPE}"#)
    );
}

#[test]
fn refuses_offsets_that_are_null() {
    assert_eq!(
        message(r#"{"offsets": null}"#),
        format!(r#""offsets" is null, not an array: {SHAPE}"#)
    );
}

#[test]
fn refuses_an_entry_that_is_not_an_object_naming_it() {
    let error = OffsetsFile::from_slice(
        br#"{"offsets": [{"partition": {}, "offset": {}}, {"partition": {}, "offset": {}}, "p0"]}"#,
    )
    .unwrap_err();
    assert_eq!(error.index(), Some(2));
    assert_eq!(
        error.to_string(),
        r#"offsets[2] (the 3rd entry) is a string, not an object: every entry is {"partition": {...}, "offset": {...}}"#
    );
}

#[test]
fn refuses_a_misspelt_key_in_an_entry() {
    assert_eq!(
        message(r#"{"offsets": [{"partition": {"p": 0}, "ofset": {"o": 1}}]}"#),
        r#"offsets[0] (the 1st entry) has an unknown key "ofset": an entry holds only "partition" and "offset". Check the spelling"#
    );
}

#[test]
fn refuses_an_extra_key_in_an_entry_even_beside_both_fields() {
    assert_eq!(
        message(r#"{"offsets": [{"partition": {}, "offset": {}, "topic": "orders"}]}"#),
        r#"offsets[0] (the 1st entry) has an unknown key "topic": an entry holds only "partition" and "offset". Check the spelling"#
    );
}

#[test]
fn refuses_an_entry_without_a_partition() {
    assert_eq!(
        message(r#"{"offsets": [{"partition": {}, "offset": {}}, {"offset": {"o": 1}}]}"#),
        r#"offsets[1] (the 2nd entry) has no "partition": every entry is {"partition": {...}, "offset": {...}}"#
    );
}

#[test]
fn refuses_an_entry_without_an_offset() {
    assert_eq!(
        message(r#"{"offsets": [{"partition": {"p": 0}}]}"#),
        r#"offsets[0] (the 1st entry) has no "offset": every entry is {"partition": {...}, "offset": {...}}"#
    );
}

#[test]
fn refuses_a_partition_that_is_not_an_object() {
    assert_eq!(
        message(r#"{"offsets": [{"partition": ["orders", 0], "offset": {"kafka_offset": 1}}]}"#),
        r#"offsets[0] (the 1st entry) has a "partition" that is an array, not an object: write it as an object, e.g. {"kafka_topic": "orders", "kafka_partition": 0}"#
    );
}

#[test]
fn refuses_an_offset_that_is_null() {
    assert_eq!(
        message(r#"{"offsets": [{"partition": {"p": 0}, "offset": null}]}"#),
        r#"offsets[0] (the 1st entry) has an "offset" that is null, not an object: write it as an object, e.g. {"kafka_offset": 42}"#
    );
}

#[test]
fn refuses_an_integer_above_u64_max_naming_its_entry() {
    let error = OffsetsFile::from_slice(
        br#"{"offsets": [{"partition": {"p": 0}, "offset": {"o": 1}},
                         {"partition": {"p": 1}, "offset": {"o": 18446744073709551616}}]}"#,
    )
    .unwrap_err();
    assert_eq!(error.index(), Some(1));
    assert_eq!(
        error.to_string(),
        "offsets[1] (the 2nd entry) holds the integer 18446744073709551616, outside the range \
         kept exactly (-9223372036854775808 to 18446744073709551615): it would be read as a \
         float and change. Check the value"
    );
}

#[test]
fn refuses_an_integer_below_i64_min_in_a_partition() {
    assert_eq!(
        message(r#"{"offsets": [{"partition": {"p": [-9223372036854775809]}, "offset": {}}]}"#),
        "offsets[0] (the 1st entry) holds the integer -9223372036854775809, outside the range \
         kept exactly (-9223372036854775808 to 18446744073709551615): it would be read as a \
         float and change. Check the value"
    );
}

#[test]
fn refuses_minus_zero_written_as_an_integer() {
    assert_eq!(
        message(r#"{"offsets": [{"partition": {"p": 0}, "offset": {"o": -0}}]}"#),
        "offsets[0] (the 1st entry) holds the integer -0, which would be read as the float -0.0: \
         write 0"
    );
}

#[test]
fn refuses_an_entry_problem_naming_the_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("offsets.json");
    fs::write(&path, r#"{"offsets": [{"partition": {}, "ofset": {}}]}"#).unwrap();
    let error = OffsetsFile::read(&path).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            r#"offsets file {}: offsets[0] (the 1st entry) has an unknown key "ofset": an entry holds only "partition" and "offset". Check the spelling"#,
            path.display()
        )
    );
}

// ---------------------------------------------------------------------------------------------
// Every value survives: read, write, read again

/// Reads one entry with this offset, writes it, reads that again; returns the offset read
/// first and the text written, after checking that the second reading equals the first.
fn round_trip(offset: &str) -> (JsonObject, String) {
    let text = format!(r#"{{"offsets": [{{"partition": {{"p": 0}}, "offset": {offset}}}]}}"#);
    let first = OffsetsFile::from_slice(text.as_bytes()).unwrap();
    let written = first.to_vec();
    let second = OffsetsFile::from_slice(&written).unwrap();
    assert_eq!(second, first);
    (
        first.offsets[0].offset(),
        String::from_utf8(written).unwrap(),
    )
}

#[test]
fn an_integer_above_2_pow_53_round_trips_as_that_integer() {
    let (offset, written) = round_trip(r#"{"o": 9007199254740993}"#);
    assert_eq!(offset, object(json!({"o": 9007199254740993_u64})));
    assert!(offset["o"].is_u64());
    assert!(written.contains(r#""o": 9007199254740993"#), "{written}");
}

#[test]
fn u64_max_round_trips() {
    let (offset, written) = round_trip(r#"{"o": 18446744073709551615}"#);
    assert_eq!(offset["o"].as_u64(), Some(u64::MAX));
    assert!(
        written.contains(r#""o": 18446744073709551615"#),
        "{written}"
    );
}

#[test]
fn i64_min_round_trips() {
    let (offset, written) = round_trip(r#"{"o": -9223372036854775808}"#);
    assert_eq!(offset["o"].as_i64(), Some(i64::MIN));
    assert!(
        written.contains(r#""o": -9223372036854775808"#),
        "{written}"
    );
}

#[test]
fn booleans_round_trip() {
    let (offset, written) = round_trip(r#"{"snapshot": true, "done": false}"#);
    assert_eq!(offset, object(json!({"snapshot": true, "done": false})));
    assert!(written.contains(r#""snapshot": true"#), "{written}");
    assert!(written.contains(r#""done": false"#), "{written}");
}

#[test]
fn strings_with_unicode_and_escapes_round_trip() {
    let (offset, written) = round_trip(
        r#"{"s": "caf\u00e9 \u6771\u4eac \ud83d\ude80 \"q\" \\ / \n\t\u0001", "t": "ü"}"#,
    );
    assert_eq!(
        offset,
        object(json!({"s": "café 東京 🚀 \"q\" \\ / \n\t\u{1}", "t": "ü"}))
    );
    assert!(
        written.contains(r#""s": "café 東京 🚀 \"q\" \\ / \n\t\u0001""#),
        "{written}"
    );
}

#[test]
fn nulls_round_trip() {
    let (offset, written) = round_trip(r#"{"gtid": null}"#);
    assert_eq!(offset, object(json!({"gtid": null})));
    assert!(written.contains(r#""gtid": null"#), "{written}");
}

#[test]
fn nested_objects_and_arrays_round_trip() {
    let (offset, _) = round_trip(r#"{"a": {"b": [1, [2, {"c": []}], {}], "d": {"e": {"f": -1}}}}"#);
    assert_eq!(
        offset,
        object(json!({"a": {"b": [1, [2, {"c": []}], {}], "d": {"e": {"f": -1}}}}))
    );
}

#[test]
fn floats_round_trip_to_the_same_value() {
    let (offset, written) = round_trip(
        r#"{"a": 0.1, "b": 57414.518664216484, "c": 6.047802727761427e-8, "d": 1.5e300,
            "e": -2.5e-8, "f": 100.0, "g": -0.0, "h": 18446744073709551616.0}"#,
    );
    assert_eq!(
        offset,
        object(json!({
            "a": 0.1, "b": 57414.518664216484, "c": 6.047802727761427e-8, "d": 1.5e300,
            "e": -2.5e-8, "f": 100.0, "g": -0.0, "h": 18446744073709551616.0
        }))
    );
    assert!(offset.values().all(Value::is_f64));
    assert!(written.contains(r#""b": 57414.518664216484"#), "{written}");
    assert!(written.contains(r#""f": 100.0"#), "{written}");
}

#[test]
fn any_float_round_trips_to_the_same_bits() {
    // A fixed xorshift sequence of bit patterns: every exponent and mantissa, reproducibly.
    let mut bits: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut floats = Vec::new();
    while floats.len() < 10_000 {
        bits ^= bits << 13;
        bits ^= bits >> 7;
        bits ^= bits << 17;
        let float = f64::from_bits(bits);
        if float.is_finite() {
            floats.push(float);
        }
    }
    let file = OffsetsFile {
        offsets: vec![entry(json!({"p": 0}), json!({ "floats": floats }))],
    };
    let read = OffsetsFile::from_slice(&file.to_vec()).unwrap();
    let read_bits: Vec<u64> = read.offsets[0].offset()["floats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value.as_f64().unwrap().to_bits())
        .collect();
    let bits: Vec<u64> = floats.iter().map(|float| float.to_bits()).collect();
    assert_eq!(read_bits, bits);
}

#[test]
fn connector_offsets_of_a_get_round_trip_through_a_file() {
    let body = br#"{"name": "orders-source", "id": "lcc-1",
        "offsets": [
            {"partition": {"server": "db1", "big": 18446744073709551615, "neg": -9223372036854775808},
             "offset": {"pos": 9007199254740993, "f": 0.30000000000000004, "ok": true,
                        "gtid": null, "s": "\u00e9\n", "nested": {"list": [1, "2", [3.5]]}}}
        ],
        "metadata": {"observed_at": "2024-02-20 15:14:19+00:00"}}"#;
    let offsets = ConnectorOffsets::from_json(body).unwrap();
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("orders-source.json");

    OffsetsFile::from(&offsets).write(&path).unwrap();

    assert_eq!(OffsetsFile::read(&path).unwrap().offsets, offsets.offsets);
}

#[test]
fn connector_offsets_built_in_code_round_trip_through_bytes() {
    let offsets = ConnectorOffsets::new(vec![
        entry(
            json!({"kafka_topic": "orders", "kafka_partition": 0}),
            json!({"kafka_offset": i64::MAX}),
        ),
        entry(
            json!({"kafka_topic": "ordres ✓", "kafka_partition": 1}),
            json!({"kafka_offset": u64::MAX, "extra": [f64::MIN_POSITIVE, -1.0e-300]}),
        ),
    ])
    .with_name("orders-sink");
    let read = OffsetsFile::from_slice(&OffsetsFile::from(offsets.clone()).to_vec()).unwrap();
    assert_eq!(read.offsets, offsets.offsets);
}

// ---------------------------------------------------------------------------------------------
// Writing

fn sink_file() -> OffsetsFile {
    OffsetsFile {
        offsets: vec![
            entry(
                json!({"kafka_topic": "orders", "kafka_partition": 0}),
                json!({"kafka_offset": 15000}),
            ),
            entry(
                json!({"kafka_topic": "orders", "kafka_partition": 1}),
                json!({"kafka_offset": 9007199254740993_u64}),
            ),
        ],
    }
}

const SINK_FILE_TEXT: &str = r#"{
  "offsets": [
    {
      "partition": {
        "kafka_partition": 0,
        "kafka_topic": "orders"
      },
      "offset": {
        "kafka_offset": 15000
      }
    },
    {
      "partition": {
        "kafka_partition": 1,
        "kafka_topic": "orders"
      },
      "offset": {
        "kafka_offset": 9007199254740993
      }
    }
  ]
}
"#;

#[test]
fn writes_pretty_json_indented_by_two_spaces_with_a_final_newline() {
    assert_eq!(
        String::from_utf8(sink_file().to_vec()).unwrap(),
        SINK_FILE_TEXT
    );
}

#[test]
fn to_writer_writes_what_to_vec_returns() {
    let mut out = Vec::new();
    sink_file().to_writer(&mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), SINK_FILE_TEXT);
}

#[test]
fn writes_a_file_that_from_slice_reads_back_equal() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("orders-sink.json");
    sink_file().write(&path).unwrap();
    assert_eq!(
        OffsetsFile::from_slice(&fs::read(&path).unwrap()).unwrap(),
        sink_file()
    );
}

#[test]
fn write_creates_the_file_and_leaves_no_temporary_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("orders-sink.json");
    sink_file().write(&path).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), SINK_FILE_TEXT);
    assert_eq!(listing(directory.path()), ["orders-sink.json"]);
}

#[test]
fn write_replaces_an_existing_file_and_leaves_no_temporary_file() {
    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("orders-sink.json");
    fs::write(
        &path,
        "an older, longer content that must not survive in part\n".repeat(100),
    )
    .unwrap();
    sink_file().write(&path).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), SINK_FILE_TEXT);
    assert_eq!(listing(directory.path()), ["orders-sink.json"]);
}

#[test]
fn write_over_a_directory_fails_leaving_it_and_no_temporary_file() {
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("offsets.json");
    fs::create_dir(&target).unwrap();
    fs::write(target.join("kept.txt"), "kept").unwrap();

    let error = sink_file().write(&target).unwrap_err();

    let OffsetsFileError::Write {
        path: Some(in_error),
        source,
    } = &error
    else {
        panic!("not a write error: {error:?}");
    };
    assert_eq!(in_error, &target);
    assert_eq!(
        error.to_string(),
        format!(
            "cannot write offsets file {}: {source}. Check that the directory exists and is \
             writable and that the path is not a directory; any file already there is unchanged",
            target.display()
        )
    );
    assert_eq!(listing(directory.path()), ["offsets.json"]);
    assert_eq!(listing(&target), ["kept.txt"]);
    assert_eq!(fs::read_to_string(target.join("kept.txt")).unwrap(), "kept");
}

/// Makes a named pipe at `path` and reads it on a thread; the receiver gets what was written
/// once the writer closes it. A write that renamed a file over the pipe would leave the reader
/// waiting, so the tests wait for it with a bound.
#[cfg(unix)]
fn read_through_a_named_pipe(path: &Path) -> std::sync::mpsc::Receiver<Vec<u8>> {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo (coreutils) runs");
    assert!(made.success(), "mkfifo {}", path.display());
    let (sender, receiver) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let mut content = Vec::new();
        if let Ok(mut pipe) = fs::File::open(&path) {
            let _ = io::Read::read_to_end(&mut pipe, &mut content);
        }
        let _ = sender.send(content);
    });
    receiver
}

#[cfg(unix)]
#[test]
fn write_to_a_named_pipe_writes_through_it_and_leaves_the_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let directory = tempfile::tempdir().unwrap();
    let pipe = directory.path().join("offsets.pipe");
    let received = read_through_a_named_pipe(&pipe);

    sink_file().write(&pipe).expect("written through the pipe");

    let content = received
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the reader of the pipe got the content");
    assert_eq!(content, sink_file().to_vec());
    assert!(fs::symlink_metadata(&pipe).unwrap().file_type().is_fifo());
    assert_eq!(listing(directory.path()), ["offsets.pipe"]);
}

#[test]
fn write_into_a_missing_directory_fails_creating_nothing() {
    let directory = tempfile::tempdir().unwrap();
    let target = directory.path().join("missing").join("offsets.json");

    let error = sink_file().write(&target).unwrap_err();

    let OffsetsFileError::Write { source, .. } = &error else {
        panic!("not a write error: {error:?}");
    };
    assert_eq!(source.kind(), io::ErrorKind::NotFound);
    assert_eq!(error.path(), Some(target.as_path()));
    assert_eq!(listing(directory.path()), Vec::<String>::new());
}

#[test]
fn write_under_a_file_fails_leaving_that_file_unchanged() {
    let directory = tempfile::tempdir().unwrap();
    let existing = directory.path().join("offsets.json");
    fs::write(&existing, SINK_FILE_TEXT).unwrap();

    let error = OffsetsFile::default()
        .write(existing.join("offsets.json"))
        .unwrap_err();

    assert!(matches!(error, OffsetsFileError::Write { .. }), "{error:?}");
    assert_eq!(fs::read_to_string(&existing).unwrap(), SINK_FILE_TEXT);
    assert_eq!(listing(directory.path()), ["offsets.json"]);
}

#[cfg(unix)]
#[test]
fn write_keeps_the_permissions_of_an_existing_file() {
    use std::os::unix::fs::PermissionsExt;

    let directory = tempfile::tempdir().unwrap();
    let path = directory.path().join("offsets.json");
    fs::write(&path, "{}").unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();

    sink_file().write(&path).unwrap();

    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
}

#[cfg(unix)]
#[test]
fn write_gives_a_new_file_the_permissions_file_create_gives() {
    use std::os::unix::fs::PermissionsExt;

    let directory = tempfile::tempdir().unwrap();
    let created = directory.path().join("created.json");
    fs::File::create(&created).unwrap();
    let written = directory.path().join("offsets.json");

    sink_file().write(&written).unwrap();

    assert_eq!(
        fs::metadata(&written).unwrap().permissions().mode(),
        fs::metadata(&created).unwrap().permissions().mode()
    );
}

// ---------------------------------------------------------------------------------------------
// The schema

#[test]
fn json_schema_is_the_reviewed_one() {
    insta::assert_json_snapshot!("offsets_file_schema", OffsetsFile::json_schema());
}
