//! Messages: sending (nonce dedupe, slow mode, replies, mentions), history pages, edits and deletes,
//! reactions, pins and read states.
//!
//! Every write that spans rows is one transaction, and every count limit (distinct reactions, pins) is
//! checked inside it under a row lock, as in `community/`. Sends in a channel are serialised by the
//! channel's row, which also orders their ids. Reads of a page use a fixed number of queries (the
//! messages with their authors, then mentions, role mentions, reactions and replied-to messages for the
//! whole page), never one per message.

mod change;
mod create;
mod history;
mod pins;
mod reactions;
mod read_states;
mod records;

pub use create::{SendError, Sent};
pub use reactions::{NewReaction, ReactionError};
pub use records::{
    HistoryPage, MessageEdit, MessageRecord, NewMessage, NewReference, PinChange, ReactionCount,
    ReadState,
};
