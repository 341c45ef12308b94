//! A session's outbox: the sequenced dispatches addressed to it, kept for resuming.
//!
//! The dispatcher appends shared `Arc<Dispatch>` values (never re-serialized); the connection writes
//! whatever lies past the last sequence number it sent. The ring holds the last `capacity` dispatches
//! whether or not a connection is attached, so a client that drops and resumes gets exactly what it
//! missed, in order, once. Memory per session is bounded by `capacity` pointers; payload bytes are
//! shared with every other recipient.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;

use crate::bus::Dispatch;

pub struct Outbox {
    ring: Mutex<Ring>,
    /// Wakes the attached connection when there is something to send or it must close.
    pub notify: Notify,
    /// Wakes a connection blocked writing to a socket that stopped draining: it must close.
    pub slow: Notify,
    capacity: usize,
    max_lag: usize,
}

struct Ring {
    frames: VecDeque<(u64, Arc<Dispatch>)>,
    next_seq: u64,
    /// While the session's READY is being built, events wait here without a sequence number, so that
    /// READY and its GUILD_CREATEs come first and nothing committed meanwhile is missed.
    held: Option<Vec<Arc<Dispatch>>>,
    /// The last sequence number written to the attached connection.
    sent: u64,
    /// Set when the attached connection fell more than `max_lag` dispatches behind.
    slow: bool,
    /// Set when the session can no longer be trusted to be complete (it cannot be resumed).
    invalid: bool,
}

/// The frames a connection should write next, or why it cannot continue.
pub enum Pending {
    Frames(Vec<(u64, Arc<Dispatch>)>),
    /// Unsent dispatches were evicted or the lag bound was crossed: the connection must close.
    TooSlow,
    /// The session was invalidated: the connection must close and the client identify again.
    Invalid,
}

impl Outbox {
    pub fn new(capacity: usize, max_lag: usize) -> Self {
        Self {
            ring: Mutex::new(Ring {
                frames: VecDeque::with_capacity(capacity.min(64)),
                next_seq: 1,
                held: Some(Vec::new()),
                sent: 0,
                slow: false,
                invalid: false,
            }),
            notify: Notify::new(),
            slow: Notify::new(),
            capacity: capacity.max(1),
            max_lag,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Ring> {
        // A panic while holding this lock leaves the ring consistent (every mutation is one step), so
        // a poisoned lock is still usable.
        self.ring.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Appends a dispatch (or holds it while READY is built).
    pub fn push(&self, dispatch: Arc<Dispatch>) {
        let mut ring = self.lock();
        if let Some(held) = ring.held.as_mut() {
            held.push(dispatch);
            return;
        }
        self.append(&mut ring, dispatch);
        drop(ring);
        self.notify.notify_one();
    }

    /// Appends a dispatch even while others are held (READY and its GUILD_CREATEs).
    pub fn push_first(&self, dispatch: Arc<Dispatch>) {
        let mut ring = self.lock();
        self.append(&mut ring, dispatch);
        drop(ring);
        self.notify.notify_one();
    }

    /// Ends the hold: everything that arrived while READY was built follows it, in order.
    pub fn release(&self) {
        let mut ring = self.lock();
        if let Some(held) = ring.held.take() {
            for dispatch in held {
                self.append(&mut ring, dispatch);
            }
        }
        drop(ring);
        self.notify.notify_one();
    }

    fn append(&self, ring: &mut Ring, dispatch: Arc<Dispatch>) {
        let seq = ring.next_seq;
        ring.next_seq += 1;
        ring.frames.push_back((seq, dispatch));
        if ring.frames.len() > self.capacity {
            ring.frames.pop_front();
        }
        if seq.saturating_sub(ring.sent) > self.max_lag as u64 && !ring.slow {
            ring.slow = true;
            self.slow.notify_waiters();
        }
    }

    /// What follows `sent`, up to `max` frames; records them as sent.
    pub fn take(&self, max: usize) -> Pending {
        let mut ring = self.lock();
        if ring.invalid {
            return Pending::Invalid;
        }
        if ring.slow {
            return Pending::TooSlow;
        }
        let sent = ring.sent;
        let first = ring.frames.front().map_or(ring.next_seq, |f| f.0);
        if first > sent + 1 && sent + 1 < ring.next_seq {
            return Pending::TooSlow;
        }
        let frames: Vec<_> = ring
            .frames
            .iter()
            .filter(|(seq, _)| *seq > sent)
            .take(max)
            .cloned()
            .collect();
        if let Some((last, _)) = frames.last() {
            ring.sent = *last;
        }
        Pending::Frames(frames)
    }

    /// Prepares for a resuming connection that last received `seq`: `Ok` when every later dispatch is
    /// still here, `Err(true)` when `seq` is beyond what was ever sent (4007), `Err(false)` when some
    /// were evicted (op 9).
    pub fn rewind(&self, seq: u64) -> Result<(), bool> {
        let mut ring = self.lock();
        if ring.invalid {
            return Err(false);
        }
        let last = ring.next_seq - 1;
        if seq > last {
            return Err(true);
        }
        let oldest = ring.frames.front().map_or(ring.next_seq, |f| f.0);
        if seq + 1 < oldest {
            return Err(false);
        }
        ring.sent = seq;
        ring.slow = false;
        Ok(())
    }

    /// Marks the session as incomplete: its connection closes and it cannot be resumed.
    pub fn invalidate(&self) {
        self.lock().invalid = true;
        self.notify.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bus::Audience;
    use hearth_core::Snowflake;

    fn dispatch(n: u8) -> Arc<Dispatch> {
        Arc::new(Dispatch {
            name: "TEST",
            audience: Audience::User(Snowflake::from_db(1)),
            data: bytes::Bytes::from(vec![n]),
        })
    }

    fn seqs(p: Pending) -> Vec<u64> {
        match p {
            Pending::Frames(f) => f.iter().map(|(s, _)| *s).collect(),
            Pending::TooSlow | Pending::Invalid => panic!("cannot send"),
        }
    }

    #[test]
    fn held_events_follow_the_ready_frames_in_order() {
        let outbox = Outbox::new(8, 4);
        outbox.push(dispatch(10));
        outbox.push_first(dispatch(1));
        outbox.push_first(dispatch(2));
        outbox.release();
        let Pending::Frames(frames) = outbox.take(10) else {
            panic!("cannot send")
        };
        let order: Vec<u8> = frames.iter().map(|(_, d)| d.data[0]).collect();
        assert_eq!(order, [1, 2, 10]);
        assert_eq!(frames.iter().map(|f| f.0).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn resuming_replays_exactly_what_followed_the_clients_seq() {
        let outbox = Outbox::new(8, 4);
        outbox.release();
        for n in 0..3 {
            outbox.push(dispatch(n));
        }
        assert_eq!(seqs(outbox.take(10)), [1, 2, 3]);
        outbox.push(dispatch(3));
        outbox.push(dispatch(4));
        assert!(outbox.rewind(2).is_ok());
        assert_eq!(seqs(outbox.take(10)), [3, 4, 5]);
        assert_eq!(outbox.rewind(9), Err(true), "a seq never sent");
    }

    #[test]
    fn a_session_too_far_behind_is_slow_and_evicted_history_cannot_be_resumed() {
        let outbox = Outbox::new(4, 2);
        outbox.release();
        for n in 0..3 {
            outbox.push(dispatch(n));
        }
        assert!(matches!(outbox.take(10), Pending::TooSlow));
        for n in 3..6 {
            outbox.push(dispatch(n));
        }
        // Seq 1 and 2 are gone: a client that saw nothing cannot resume, one that saw 2 can.
        assert_eq!(outbox.rewind(0), Err(false));
        assert!(outbox.rewind(2).is_ok());
        assert_eq!(seqs(outbox.take(10)), [3, 4, 5, 6]);
    }
}
