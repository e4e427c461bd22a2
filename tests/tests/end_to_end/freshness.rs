//! `Connector::offsets_fresher_than` against the emulator under a manual clock: the service
//! observes offsets every interval, and the age of an answer is its `Date` less its
//! `observed_at`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use confluent_connect::{Client, Pacing, RetryPolicy, WaitOptions};
use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator};

const ENV: &str = "env-emu001";
const CLUSTER: &str = "lkc-emu001";
const CONNECTOR: &str = "orders-sink";

/// The emulator, its clock stopped at 2024-02-20T15:14:19Z, observing offsets every minute.
async fn emulator() -> Emulator {
    let start = DateTime::parse_from_rfc3339("2024-02-20T15:14:19Z")
        .expect("a valid RFC 3339 time")
        .to_utc();
    Emulator::builder()
        .manual_clock(start)
        .observation_interval(Duration::from_secs(60))
        .start()
        .await
        .expect("the emulator starts")
}

fn client(emulator: &Emulator) -> Client {
    Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET.to_owned())
        .base_url(emulator.base_url())
        .retry_policy(RetryPolicy::none())
        .pacing(Pacing::headers_ignored())
        .build()
        .expect("a client for the emulator")
}

/// Short pauses, so that a test reads several times within `timeout`.
fn quick(timeout: Duration) -> WaitOptions {
    WaitOptions::default()
        .with_timeout(timeout)
        .with_initial_interval(Duration::from_millis(20))
        .with_max_interval(Duration::from_millis(50))
}

fn observed_at(read: &confluent_connect::FreshOffsets) -> Option<DateTime<Utc>> {
    read.offsets.observed_at.as_ref().and_then(|at| at.utc())
}

#[tokio::test]
async fn an_observation_within_the_maximum_age_is_returned_at_once() {
    let emulator = emulator().await;
    emulator
        .advance_clock(Duration::from_secs(20))
        .expect("a manual clock");

    let read = client(&emulator)
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets_fresher_than(Duration::from_secs(30), quick(Duration::from_secs(5)))
        .await
        .expect("the offsets");

    assert_eq!(
        (read.age, read.fresh, read.reads),
        (Some(Duration::from_secs(20)), true, 1)
    );
}

#[tokio::test]
async fn an_older_observation_is_read_again_until_the_limit_then_returned_as_not_fresh() {
    let emulator = emulator().await;
    emulator
        .advance_clock(Duration::from_secs(50))
        .expect("a manual clock");

    let read = client(&emulator)
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets_fresher_than(Duration::from_secs(30), quick(Duration::from_millis(300)))
        .await
        .expect("the freshest offsets, however old");

    assert_eq!(
        (read.age, read.fresh),
        (Some(Duration::from_secs(50)), false)
    );
    assert!(read.reads >= 2, "read {} times", read.reads);
    assert_eq!(
        observed_at(&read).map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-02-20T15:14:19+00:00")
    );
}

#[tokio::test]
async fn a_new_observation_during_the_wait_ends_it_fresh() {
    let emulator = emulator().await;
    emulator
        .advance_clock(Duration::from_secs(50))
        .expect("a manual clock");
    let connector = client(&emulator).connector(ENV, CLUSTER, CONNECTOR);

    let (read, ()) = tokio::join!(
        connector.offsets_fresher_than(Duration::from_secs(30), quick(Duration::from_secs(10))),
        async {
            tokio::time::sleep(Duration::from_millis(150)).await;
            // Past the next observation, at 60 s: 5 s after it.
            emulator
                .advance_clock(Duration::from_secs(15))
                .expect("a manual clock");
        }
    );

    let read = read.expect("the offsets");
    assert_eq!((read.age, read.fresh), (Some(Duration::from_secs(5)), true));
    assert!(read.reads >= 2, "read {} times", read.reads);
    assert_eq!(
        observed_at(&read).map(|t| t.to_rfc3339()).as_deref(),
        Some("2024-02-20T15:15:19+00:00")
    );
}
