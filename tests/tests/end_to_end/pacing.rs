//! Client-side pacing through the facade: one pacer for every clone of a client, the bound on
//! requests in flight, and the rate-limit headers followed before the service says 429.
//!
//! The pacer's speed under a rate limit is measured by the benchmarks and shown, in simulated
//! time, by its unit tests; these tests check only what does not depend on the machine's speed.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use confluent_connect::{Client, Pacing, RetryPolicy};
use confluent_connect_tests::raw::{http_message, raw_server, sink_body};
use confluent_connect_tests::{CLUSTER, CONNECTOR, ENV};
use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator};
use tokio::io::AsyncWriteExt;

fn client(base_url: &str, pacing: Pacing) -> Client {
    Client::builder()
        .api_key("KEY", "SECRET")
        .base_url(base_url)
        .retry_policy(RetryPolicy::none())
        .pacing(pacing)
        .build()
        .expect("a client")
}

/// Reads the offsets of connector `(environment, cluster, name)` `times` times at once, each
/// through its own clone of `client`; every read must succeed. Returns how many did.
async fn read_concurrently(
    client: &Client,
    times: usize,
    (environment, cluster, name): (&'static str, &'static str, &'static str),
) -> usize {
    let mut reads = tokio::task::JoinSet::new();
    for _ in 0..times {
        let clone = client.clone();
        reads.spawn(async move { clone.connector(environment, cluster, name).offsets().await });
    }
    let mut succeeded = 0;
    while let Some(read) = reads.join_next().await {
        read.expect("the read did not panic")
            .expect("the read succeeded");
        succeeded += 1;
    }
    succeeded
}

#[tokio::test]
async fn clones_together_keep_to_the_in_flight_limit() {
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (counting, highest) = (Arc::clone(&now), Arc::clone(&most));
    let url = raw_server(move |_, mut stream| {
        let (now, most) = (Arc::clone(&counting), Arc::clone(&highest));
        async move {
            let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(at_once, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(30)).await;
            now.fetch_sub(1, Ordering::SeqCst);
            let _ = stream
                .write_all(&http_message(200, "application/json", &[], &sink_body()))
                .await;
        }
    })
    .await;
    let client = client(&url, Pacing::default().with_max_in_flight(3));

    read_concurrently(&client, 12, (ENV, CLUSTER, CONNECTOR)).await;

    assert!(
        most.load(Ordering::SeqCst) <= 3,
        "{most:?} requests at once"
    );
}

#[tokio::test]
async fn a_spent_budget_holds_back_the_next_request_of_every_clone_until_it_comes_back() {
    // When the server began to send the first answer, and when the second request reached it:
    // server-side instants, so that the client's own work after an answer (decoding, in a debug
    // build) cannot eat into the interval measured.
    let seen: Arc<Mutex<[Option<Instant>; 2]>> = Arc::default();
    let server_seen = Arc::clone(&seen);
    // The first answer spends the budget, which is whole again after one second.
    let url = raw_server(move |number, mut stream| {
        let seen = Arc::clone(&server_seen);
        async move {
            if let Some(slot) = seen.lock().expect("not poisoned").get_mut(number) {
                *slot = Some(Instant::now());
            }
            let remaining = if number == 0 { 0 } else { 9 };
            let headers = [
                "x-ratelimit-limit: 10".to_string(),
                format!("x-ratelimit-remaining: {remaining}"),
                "x-ratelimit-reset: 1".to_string(),
            ];
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let _ = stream
                .write_all(&http_message(
                    200,
                    "application/json",
                    &headers,
                    &sink_body(),
                ))
                .await;
        }
    })
    .await;
    let first = client(&url, Pacing::default());
    let second = first.clone();
    first
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("the first read");

    second
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("the second read");

    // (10 - 0) / 1 s: the next request's worth comes back after 100 ms at the soonest, counted
    // from when the client saw the first answer, which is after the server began to send it.
    let [Some(answered), Some(asked)] = *seen.lock().expect("not poisoned") else {
        panic!("the server saw both requests");
    };
    assert!(
        asked.duration_since(answered) >= Duration::from_millis(100),
        "the second read went after {:?}",
        asked.duration_since(answered)
    );
}

#[tokio::test]
async fn a_budget_ignored_lets_the_next_request_go_at_once() {
    let url = raw_server(|_, mut stream| async move {
        let headers = [
            "x-ratelimit-limit: 10",
            "x-ratelimit-remaining: 0",
            "x-ratelimit-reset: 3000",
        ];
        let _ = stream
            .write_all(&http_message(
                200,
                "application/json",
                &headers,
                &sink_body(),
            ))
            .await;
    })
    .await;
    let client = client(&url, Pacing::headers_ignored());
    client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("the first read");
    let answered = Instant::now();

    client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("the second read");

    // Paced, it would wait 3000 s / (10 - 0) = 300 s.
    assert!(
        answered.elapsed() < Duration::from_secs(60),
        "the second read waited {:?}",
        answered.elapsed()
    );
}

#[tokio::test]
async fn many_clones_reading_through_the_emulator_rate_limit_all_succeed() {
    let emulator = Emulator::builder()
        .start()
        .await
        .expect("the emulator starts with its default rate limit");
    let client = Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET)
        .base_url(emulator.base_url())
        .build()
        .expect("a client");

    let succeeded =
        read_concurrently(&client, 40, ("env-emu001", "lkc-emu001", "orders-sink")).await;

    assert_eq!(succeeded, 40);
    emulator.shutdown().await;
}
