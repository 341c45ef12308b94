//! Attachment rows on both backends: reserved before their bytes, attached by the send, counted in the
//! quota, and every way a row goes (message deleted, channel deleted, failed upload) queues its blobs.

use hearth_core::Snowflake;
use hearth_store::{
    AttachmentState, GuildRecord, NewAttachment, ProcessedAttachment, ProfileUpdate, SendError,
    StoreError,
};

use super::messages::{guild_with_member, send, text};
use super::{TestDb, wall_clock_ms};

async fn reserve(
    db: &TestDb,
    channel: Snowflake,
    uploader: Snowflake,
    size: i64,
) -> Result<Snowflake, StoreError> {
    let id = db.id();
    db.store
        .reserve_attachment(&NewAttachment {
            id,
            channel_id: channel,
            uploader_id: uploader,
            filename: "cat.png".into(),
            description: Some("a cat".into()),
            flags: 0,
            now_ms: wall_clock_ms(),
        })
        .await?;
    db.store
        .finish_upload(id, "image/png", size, AttachmentState::Waiting)
        .await?;
    Ok(id)
}

fn general(g: &GuildRecord) -> Snowflake {
    g.system_channel_id.unwrap()
}

pub(crate) async fn a_send_attaches_its_uploads_in_order_and_only_the_authors_own(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let first = reserve(db, general(&g), owner, 10).await.unwrap();
    let second = reserve(db, general(&g), owner, 20).await.unwrap();
    let someone_elses = reserve(db, general(&g), member, 5).await.unwrap();

    // Another user's upload cannot be attached: the whole send fails and writes nothing.
    let mut stolen = text(&g, general(&g), owner, "");
    stolen.attachments = vec![first, someone_elses];
    assert!(matches!(
        send(db, &stolen).await,
        Err(SendError::Store(StoreError::Missing("attachments")))
    ));
    assert_eq!(
        db.store
            .attachment(first)
            .await
            .unwrap()
            .unwrap()
            .message_id,
        None
    );

    let mut new = text(&g, general(&g), owner, "two files");
    new.attachments = vec![second, first];
    let message = send(db, &new).await.unwrap();
    let ids: Vec<_> = message.attachments.iter().map(|a| a.id).collect();
    assert_eq!(ids, vec![second, first]);
    assert_eq!(message.attachments[0].size, 20);
    assert_eq!(message.attachments[0].content_type, "image/png");
    assert_eq!(message.attachments[0].description.as_deref(), Some("a cat"));

    // Attached once: a second send cannot take them again.
    let mut again = text(&g, general(&g), owner, "again");
    again.attachments = vec![first];
    assert!(send(db, &again).await.is_err());
}

pub(crate) async fn processing_results_are_recorded_once_and_name_the_message(db: &TestDb) {
    let (g, owner, _) = guild_with_member(db).await;
    let id = reserve(db, general(&g), owner, 10).await.unwrap();
    let mut new = text(&g, general(&g), owner, "");
    new.attachments = vec![id];
    let message = send(db, &new).await.unwrap();
    assert_eq!(
        db.store.attachments_waiting(10).await.unwrap().len(),
        1,
        "an attached upload waits for processing"
    );
    let done = ProcessedAttachment {
        width: Some(640),
        height: Some(480),
        placeholder: Some("LEHV6nWB2yk8pyo0adR*.7kCMdnj".into()),
        duration_ms: None,
        add_flags: 32,
        thumbnails: "160:jpg,400:jpg".into(),
        size: 9,
    };
    assert_eq!(
        db.store.finish_processing(id, &done).await.unwrap(),
        Some(message.id)
    );
    // A second finish (a duplicate job) changes nothing.
    assert_eq!(db.store.finish_processing(id, &done).await.unwrap(), None);
    let stored = db.store.attachment(id).await.unwrap().unwrap();
    assert_eq!(stored.state, AttachmentState::Processed);
    assert_eq!(
        (stored.width, stored.height, stored.size),
        (Some(640), Some(480), 9)
    );
    assert_eq!(stored.flags, 32);
    assert!(db.store.attachments_waiting(10).await.unwrap().is_empty());
}

pub(crate) async fn the_quota_counts_every_stored_byte_of_the_uploader(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    reserve(db, general(&g), owner, 600).await.unwrap();
    let in_flight = reserve(db, general(&g), owner, 400).await.unwrap();
    reserve(db, general(&g), member, 1).await.unwrap();
    // Finished and in-flight uploads count; other users' do not.
    assert_eq!(db.store.stored_bytes(owner).await.unwrap(), 1000);
    assert_eq!(db.store.stored_bytes(member).await.unwrap(), 1);
    // A discarded upload frees its bytes at once.
    db.store.discard_upload(in_flight).await.unwrap();
    assert_eq!(db.store.stored_bytes(owner).await.unwrap(), 600);
}

pub(crate) async fn every_way_an_attachment_goes_queues_its_blobs(db: &TestDb) {
    let (g, owner, _) = guild_with_member(db).await;
    let kept = reserve(db, general(&g), owner, 1).await.unwrap();
    let mut new = text(&g, general(&g), owner, "");
    new.attachments = vec![kept];
    let message = send(db, &new).await.unwrap();

    // A failed upload, discarded by its request.
    let failed = reserve(db, general(&g), owner, 1).await.unwrap();
    db.store.discard_upload(failed).await.unwrap();
    // An upload whose request died: swept once older than the cutoff.
    let abandoned = reserve(db, general(&g), owner, 1).await.unwrap();
    assert_eq!(db.store.sweep_unattached(0).await.unwrap(), 0);
    assert_eq!(
        db.store
            .sweep_unattached(wall_clock_ms() + 1)
            .await
            .unwrap(),
        1
    );
    // Sweeping never touches attached files.
    assert!(db.store.attachment(kept).await.unwrap().is_some());

    // The message goes: its attachment row goes with it.
    assert!(
        db.store
            .delete_message(general(&g), message.id, None)
            .await
            .unwrap()
    );
    assert!(db.store.attachment(kept).await.unwrap().is_none());

    let mut queued = db.store.blob_deletions(100).await.unwrap();
    queued.sort();
    let mut expected: Vec<String> = [failed, abandoned, kept]
        .iter()
        .map(|id| format!("attachments/{id}/"))
        .collect();
    expected.sort();
    assert_eq!(queued, expected);
    db.store.forget_blob_deletions(&queued).await.unwrap();
    assert!(db.store.blob_deletions(100).await.unwrap().is_empty());
}

pub(crate) async fn deleting_a_guild_queues_the_blobs_of_its_messages(db: &TestDb) {
    let (g, owner, _) = guild_with_member(db).await;
    let id = reserve(db, general(&g), owner, 1).await.unwrap();
    let mut new = text(&g, general(&g), owner, "");
    new.attachments = vec![id];
    send(db, &new).await.unwrap();
    assert!(db.store.delete_guild(g.id).await.unwrap());
    let queued = db.store.blob_deletions(100).await.unwrap();
    assert!(queued.contains(&format!("attachments/{id}/")), "{queued:?}");
    assert!(queued.contains(&format!("icons/{}/", g.id)), "{queued:?}");
}

pub(crate) async fn replacing_an_avatar_queues_the_old_image_only(db: &TestDb) {
    let user = db.register("painter", None).await.unwrap();
    db.store
        .set_user_image(user.id, hearth_store::UserImage::Avatar, Some("first"))
        .await
        .unwrap();
    assert!(db.store.blob_deletions(100).await.unwrap().is_empty());
    db.store
        .set_user_image(user.id, hearth_store::UserImage::Avatar, Some("second"))
        .await
        .unwrap();
    // Changing another profile field keeps the avatar.
    db.store
        .update_profile(
            user.id,
            &ProfileUpdate {
                bio: Some("hi".into()),
                ..Default::default()
            },
            wall_clock_ms(),
        )
        .await
        .unwrap();
    assert_eq!(
        db.store.blob_deletions(100).await.unwrap(),
        vec![format!("avatars/{}/first/", user.id)]
    );
    let found = db.store.user_by_id(user.id).await.unwrap().unwrap();
    assert_eq!(found.avatar.as_deref(), Some("second"));
}
