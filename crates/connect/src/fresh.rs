//! Offsets younger than a maximum age: what [`Connector::offsets_fresher_than`] returns.
//!
//! [`Connector::offsets_fresher_than`]: crate::Connector::offsets_fresher_than

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::offsets::ConnectorOffsets;

/// The freshest offsets [`Connector::offsets_fresher_than`](crate::Connector::offsets_fresher_than)
/// read, and how old their observation was.
///
/// `#[non_exhaustive]`: more may be said about a read later, and a field for it here must not
/// break your code.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct FreshOffsets {
    /// The offsets of the freshest answer read.
    pub offsets: ConnectorOffsets,
    /// How old their observation was when the service answered: the answer's `Date` less
    /// `observed_at` (zero if `observed_at` is later). `None` when the answer has no
    /// `observed_at`, or one that is not a time.
    pub age: Option<Duration>,
    /// Whether `age` is within the maximum age asked for. `false` when the time limit ran out
    /// first, or when the age cannot be known: the offsets are then older than asked for, or
    /// may be.
    pub fresh: bool,
    /// How many answers were read.
    pub reads: u32,
}

impl FreshOffsets {
    /// One answer, `offsets` sent at `date` (the local clock's now when `None`), judged against
    /// `max_age`.
    pub(crate) fn judge(
        offsets: ConnectorOffsets,
        date: Option<DateTime<Utc>>,
        max_age: Duration,
    ) -> FreshOffsets {
        let answered = date.unwrap_or_else(Utc::now);
        let age = offsets
            .observed_at
            .as_ref()
            .and_then(|at| at.utc())
            .map(|observed| (answered - observed).to_std().unwrap_or(Duration::ZERO));
        FreshOffsets {
            offsets,
            age,
            fresh: age.is_some_and(|age| age <= max_age),
            reads: 1,
        }
    }

    /// Whether this answer's observation is younger than `other`'s; an answer of known age is
    /// fresher than one of unknown age.
    pub(crate) fn is_fresher_than(&self, other: &FreshOffsets) -> bool {
        match (self.age, other.age) {
            (Some(this), Some(that)) => this < that,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::{DateTime, Utc};

    use super::FreshOffsets;
    use crate::{ConnectorOffsets, Timestamp};

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn observed(text: &str) -> ConnectorOffsets {
        ConnectorOffsets::new(vec![]).with_observed_at(Timestamp::parse(text))
    }

    #[test]
    fn the_age_is_the_answer_date_less_observed_at() {
        let read = FreshOffsets::judge(
            observed("2024-02-20 15:14:19+00:00"),
            Some(at("2024-02-20T15:16:19Z")),
            Duration::from_secs(120),
        );
        assert_eq!(
            (read.age, read.fresh),
            (Some(Duration::from_secs(120)), true)
        );
    }

    #[test]
    fn an_age_over_the_maximum_is_not_fresh() {
        let read = FreshOffsets::judge(
            observed("2024-02-20 15:14:19+00:00"),
            Some(at("2024-02-20T15:16:20Z")),
            Duration::from_secs(120),
        );
        assert_eq!(
            (read.age, read.fresh),
            (Some(Duration::from_secs(121)), false)
        );
    }

    #[test]
    fn an_observation_after_the_answer_date_is_zero_old() {
        let read = FreshOffsets::judge(
            observed("2024-02-20 15:14:19+00:00"),
            Some(at("2024-02-20T15:14:00Z")),
            Duration::ZERO,
        );
        assert_eq!((read.age, read.fresh), (Some(Duration::ZERO), true));
    }

    #[test]
    fn an_unreadable_observed_at_has_no_age_and_is_not_fresh() {
        let read = FreshOffsets::judge(
            observed("last Tuesday"),
            Some(at("2024-02-20T15:14:00Z")),
            Duration::from_secs(3600),
        );
        assert_eq!((read.age, read.fresh), (None, false));
    }

    #[test]
    fn a_known_age_is_fresher_than_an_unknown_one_and_younger_than_an_older_one() {
        let judge = |observed_at: &str| {
            FreshOffsets::judge(
                observed(observed_at),
                Some(at("2024-02-20T15:20:00Z")),
                Duration::ZERO,
            )
        };
        let young = judge("2024-02-20 15:19:00+00:00");
        let old = judge("2024-02-20 15:10:00+00:00");
        let unknown = judge("never");
        assert!(young.is_fresher_than(&old));
        assert!(!old.is_fresher_than(&young));
        assert!(old.is_fresher_than(&unknown));
        assert!(!unknown.is_fresher_than(&old));
    }
}
