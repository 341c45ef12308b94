//! Snowflake ids: 64-bit, time-ordered, unique across nodes without coordination.
//!
//! Layout (most significant first): a zero sign bit, 41 bits of milliseconds since
//! [`HEARTH_EPOCH_MS`] (enough until about 2094), 10 bits of node id, 12 bits of per-millisecond
//! sequence. Ids sort by creation time, which is what cursor pagination (`before`/`after`) relies on.
//! The caller supplies the clock so this module stays free of I/O.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

/// 2025-01-01T00:00:00Z in unix milliseconds.
pub const HEARTH_EPOCH_MS: u64 = 1_735_689_600_000;
const NODE_BITS: u32 = 10;
const SEQUENCE_BITS: u32 = 12;
const MAX_SEQUENCE: u64 = (1 << SEQUENCE_BITS) - 1;
const MAX_TIMESTAMP: u64 = (1 << (64 - NODE_BITS - SEQUENCE_BITS - 1)) - 1;

/// A snowflake id. Always below 2^63, so it fits a signed `BIGINT` column unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Snowflake(u64);

impl Snowflake {
    pub fn from_db(raw: i64) -> Self {
        Self(raw as u64)
    }

    pub fn to_db(self) -> i64 {
        // Ids are generated below 2^63 (41-bit timestamp), so this never wraps.
        self.0 as i64
    }

    pub fn get(self) -> u64 {
        self.0
    }

    /// Milliseconds since the unix epoch at which this id was made.
    pub fn unix_ms(self) -> u64 {
        (self.0 >> (NODE_BITS + SEQUENCE_BITS)) + HEARTH_EPOCH_MS
    }

    pub fn node(self) -> u16 {
        ((self.0 >> SEQUENCE_BITS) & ((1 << NODE_BITS) - 1)) as u16
    }
}

impl fmt::Display for Snowflake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Snowflake {
    type Err = crate::ValidationError;

    /// Ids arrive as decimal strings (JSON numbers lose precision above 2^53).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(crate::ValidationError::Invalid("not a snowflake id"));
        }
        match s.parse::<u64>() {
            Ok(v) if v < (1 << 63) => Ok(Self(v)),
            _ => Err(crate::ValidationError::Invalid("not a snowflake id")),
        }
    }
}

/// The node part of every id this process makes; unique per running node of a cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeId(u16);

impl NodeId {
    pub const MAX: u16 = (1 << NODE_BITS) - 1;

    pub fn new(raw: u16) -> Result<Self, crate::ValidationError> {
        if raw > Self::MAX {
            return Err(crate::ValidationError::Range {
                min: 0,
                max: Self::MAX as i64,
            });
        }
        Ok(Self(raw))
    }

    pub fn get(self) -> u16 {
        self.0
    }
}

/// Makes strictly increasing ids for one node.
///
/// When the wall clock steps backwards the generator keeps counting from the last time it used, and when
/// a millisecond's 4096 sequence numbers run out it borrows the next millisecond: ids never repeat and
/// never go backwards, at the cost of running slightly ahead of the clock under extreme load.
#[derive(Debug)]
pub struct SnowflakeGenerator {
    node: NodeId,
    state: Mutex<GeneratorState>,
}

#[derive(Debug)]
struct GeneratorState {
    last_ms: u64,
    sequence: u64,
}

impl SnowflakeGenerator {
    pub fn new(node: NodeId) -> Self {
        Self {
            node,
            state: Mutex::new(GeneratorState {
                last_ms: 0,
                sequence: 0,
            }),
        }
    }

    /// The next id, given the current unix time in milliseconds.
    pub fn next(&self, now_unix_ms: u64) -> Snowflake {
        let now = now_unix_ms
            .saturating_sub(HEARTH_EPOCH_MS)
            .min(MAX_TIMESTAMP);
        // A poisoned lock only means another thread panicked mid-update; the state is two integers and
        // always consistent, so keep going.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if now > state.last_ms {
            state.last_ms = now;
            state.sequence = 0;
        } else if state.sequence == MAX_SEQUENCE {
            state.last_ms += 1;
            state.sequence = 0;
        } else {
            state.sequence += 1;
        }
        Snowflake(
            (state.last_ms << (NODE_BITS + SEQUENCE_BITS))
                | ((self.node.0 as u64) << SEQUENCE_BITS)
                | state.sequence,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = HEARTH_EPOCH_MS + 1_000_000;

    #[test]
    fn ids_carry_their_time_and_node() {
        let generator = SnowflakeGenerator::new(NodeId::new(513).unwrap());
        let id = generator.next(NOW);
        assert_eq!(id.unix_ms(), NOW);
        assert_eq!(id.node(), 513);
    }

    #[test]
    fn ids_strictly_increase_even_when_the_clock_steps_back() {
        let generator = SnowflakeGenerator::new(NodeId::new(1).unwrap());
        let a = generator.next(NOW);
        let b = generator.next(NOW - 5_000);
        let c = generator.next(NOW);
        assert!(a < b && b < c);
    }

    #[test]
    fn sequence_exhaustion_borrows_the_next_millisecond() {
        let generator = SnowflakeGenerator::new(NodeId::new(0).unwrap());
        let ids: Vec<_> = (0..10_000).map(|_| generator.next(NOW)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        assert!(ids.last().unwrap().unix_ms() > NOW);
    }

    #[test]
    fn node_ids_above_ten_bits_are_rejected() {
        assert!(NodeId::new(1023).is_ok());
        assert!(NodeId::new(1024).is_err());
    }

    #[test]
    fn parsing_rejects_anything_but_decimal_below_two_to_the_63() {
        assert_eq!("42".parse::<Snowflake>().unwrap().get(), 42);
        for bad in [
            "",
            "-1",
            "1e3",
            " 1",
            "9223372036854775808",
            "abc",
            "123456789012345678901",
        ] {
            assert!(bad.parse::<Snowflake>().is_err(), "{bad:?} parsed");
        }
    }
}
