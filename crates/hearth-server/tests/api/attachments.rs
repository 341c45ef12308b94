//! Files sent with messages: multipart sends in Discord's shape, types sniffed from the bytes,
//! limits (size, count, quota, permission) that store nothing when they refuse, processing that
//! strips metadata and makes thumbnails off the request path, signed downloads with ranges, and
//! blobs that go with their message.

use std::time::Duration;

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, assert_error, both_backends, spawn_app, spawn_app_with};
use crate::messages::{Room, id_of, messages_path, room};

both_backends!(
    an_image_is_served_cleaned_and_thumbnailed_once_processed,
    files_are_typed_by_their_bytes_and_named_safely,
    refused_uploads_store_nothing,
    the_quota_counts_what_a_user_has_stored,
    downloads_need_a_valid_signature_or_a_reader_and_stop_with_the_message,
    an_image_that_does_not_decode_is_served_as_a_download,
    files_live_in_an_s3_bucket_just_the_same,
);

/// A JPEG of `width` × `height` carrying an EXIF segment with a GPS marker the test looks for.
fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 85)
        .encode_image(&picture)
        .unwrap();
    // APP1 "Exif\0\0" + a little-endian TIFF header and an IFD naming GPS tags, after SOI.
    let mut exif = b"Exif\0\0II*\0\x08\0\0\0".to_vec();
    exif.extend_from_slice(b"\x01\0\x25\x88\x04\0\x01\0\0\0\x1a\0\0\0\0\0\0\0");
    exif.extend_from_slice(b"GPS-SECRET-51.5007N-0.1246W");
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn send_files(
    app: &TestApp,
    token: &str,
    channel: &str,
    payload: Value,
    files: Vec<(&str, Vec<u8>)>,
) -> reqwest::Response {
    let mut form = Form::new().text("payload_json", payload.to_string());
    for (i, (name, bytes)) in files.into_iter().enumerate() {
        form = form.part(
            format!("files[{i}]"),
            Part::bytes(bytes)
                .file_name(name.to_owned())
                // The client's claim, which Hearth ignores.
                .mime_str("image/png")
                .unwrap(),
        );
    }
    app.client
        .post(app.url(&messages_path(channel)))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Posts a hand-made multipart body as the room's owner.
async fn post_form(app: &TestApp, room: &Room, form: Form) -> reqwest::Response {
    app.client
        .post(app.url(&messages_path(&room.channel)))
        .bearer_auth(&room.owner)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Deletes the owner's `message`, which must succeed.
async fn delete_message(app: &TestApp, room: &Room, message: &Value) {
    app.expect(
        Method::DELETE,
        &format!("{}/{}", messages_path(&room.channel), id_of(message)),
        &room.owner,
        None,
        204,
    )
    .await;
}

async fn fetch(app: &TestApp, url: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(url));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// Waits for the MESSAGE_UPDATE that ends processing of `message`; returns its attachments.
async fn processed(app: &TestApp, message: &str) -> Vec<Value> {
    for _ in 0..200 {
        for event in app.events() {
            if event.name == "MESSAGE_UPDATE" && event.data["id"] == message {
                return event.data["attachments"].as_array().unwrap().clone();
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no MESSAGE_UPDATE for {message}");
}

/// The attachment's blobs on disk (the local backend).
fn blobs_of(app: &TestApp, attachment: &str) -> Vec<String> {
    let dir = app.config.files_dir().join("attachments").join(attachment);
    std::fs::read_dir(dir)
        .map(|entries| {
            let mut names: Vec<String> = entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        })
        .unwrap_or_default()
}

async fn an_image_is_served_cleaned_and_thumbnailed_once_processed(backend: Backend) {
    let app = spawn_app(backend).await;
    let Room { owner, channel, .. } = room(&app).await;
    let photo = jpeg_with_exif(1000, 500);
    assert!(contains(&photo, b"GPS-SECRET"));
    let response = send_files(
        &app,
        &owner,
        &channel,
        json!({"content": "", "attachments": [{"id": 0, "description": "a test card"}]}),
        vec![("photo.png", photo.clone())],
    )
    .await;
    assert_eq!(response.status(), 201);
    let message: Value = response.json().await.unwrap();
    let attachment = &message["attachments"][0];
    assert_eq!(attachment["filename"], "photo.png");
    assert_eq!(attachment["description"], "a test card");
    // Sniffed from the bytes, whatever the part claimed.
    assert_eq!(attachment["content_type"], "image/jpeg");
    assert_eq!(attachment["size"], photo.len());
    assert_eq!(message["content"], "");

    let attachments = processed(&app, &id_of(&message)).await;
    let done = &attachments[0];
    assert!(done.get("processing").is_none(), "{done}");
    assert_eq!(
        (done["width"].as_u64(), done["height"].as_u64()),
        (Some(1000), Some(500))
    );
    assert!(done["placeholder"].as_str().is_some_and(|p| p.len() >= 6));
    let id = id_of(done);
    // The upload as sent (with its GPS data) is gone; the cleaned file and thumbnails remain.
    let stored = blobs_of(&app, &id);
    assert!(stored.contains(&"file".to_owned()), "{stored:?}");
    assert!(!stored.contains(&"original".to_owned()), "{stored:?}");
    assert!(stored.iter().any(|n| n.starts_with("t400.")), "{stored:?}");

    let url = done["url"].as_str().unwrap();
    let file = fetch(&app, url, None).await;
    assert_eq!(file.status(), 200);
    let headers = file.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline")
    );
    let body = file.bytes().await.unwrap();
    assert!(!contains(&body, b"GPS-SECRET"), "metadata survived");
    assert!(!contains(&body, b"Exif\0\0"), "EXIF survived");
    assert_eq!(done["size"], body.len());
    let decoded = image::load_from_memory(&body).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1000, 500));

    let thumbnail = fetch(&app, &format!("{url}&width=300"), None).await;
    assert_eq!(thumbnail.status(), 200);
    let small = image::load_from_memory(&thumbnail.bytes().await.unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (400, 200));

    let partial = app
        .client
        .get(app.url(url))
        .header("range", "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(partial.status(), 206);
    assert_eq!(
        partial.headers()["content-range"].to_str().unwrap(),
        format!("bytes 0-9/{}", body.len())
    );
    assert_eq!(&partial.bytes().await.unwrap()[..], &body[..10]);
    let beyond = app
        .client
        .get(app.url(url))
        .header("range", format!("bytes={}-", body.len() + 10))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), 416);

    // History shows the same, processed attachment.
    let history: Value = app
        .get(&messages_path(&channel), Some(&owner))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history[0]["attachments"][0]["width"], 1000);
}

async fn files_are_typed_by_their_bytes_and_named_safely(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let html = b"<!doctype html><script>alert(document.cookie)</script>".to_vec();
    let response = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({"content": "files"}),
        vec![
            ("../../../etc/cron.d/evil.html", html.clone()),
            (
                "SPOILER_archive.zip",
                b"PK\x03\x04\x14\0\0\0\0\0rest".to_vec(),
            ),
        ],
    )
    .await;
    assert_eq!(response.status(), 201);
    let message: Value = response.json().await.unwrap();
    let page = &message["attachments"][0];
    assert_eq!(page["filename"], "evil.html");
    assert_eq!(page["content_type"], "text/plain; charset=utf-8");
    assert!(page.get("processing").is_none());
    let zip = &message["attachments"][1];
    assert_eq!(zip["content_type"], "application/zip");
    assert_eq!(zip["flags"], 8, "SPOILER_ marks a spoiler");

    // Served at once (nothing to process), as text that never renders, and the zip as a download.
    let served = fetch(&app, page["url"].as_str().unwrap(), None).await;
    assert_eq!(served.status(), 200);
    assert_eq!(
        served.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(
        served.headers()["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    assert_eq!(served.bytes().await.unwrap(), html);
    let download = fetch(&app, zip["url"].as_str().unwrap(), None).await;
    assert_eq!(
        download.headers()["content-disposition"],
        "attachment; filename*=UTF-8''SPOILER%5Farchive%2Ezip"
    );
}

async fn refused_uploads_store_nothing(backend: Backend) {
    let app = spawn_app_with(backend, |c| {
        c.media.max_file_bytes = 1000;
        c.media.max_files_per_message = 2;
    })
    .await;
    let room = room(&app).await;
    let small = || vec![7u8; 100];

    let too_large = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({}),
        vec![("a.bin", vec![0u8; 1001])],
    )
    .await;
    assert_error(too_large, 413, "FILE_TOO_LARGE").await;
    let too_many = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({}),
        vec![("a", small()), ("b", small()), ("c", small())],
    )
    .await;
    assert_error(too_many, 400, "TOO_MANY_FILES").await;
    // An alt text longer than Discord's 1024 characters.
    let long_alt = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({"attachments": [{"id": 0, "description": "x".repeat(1025)}]}),
        vec![("a", small())],
    )
    .await;
    assert_error(long_alt, 400, "VALIDATION_FAILED").await;
    let unknown_part = post_form(
        &app,
        &room,
        Form::new().text("payload_json", "{}").text("surprise", "x"),
    )
    .await;
    assert_error(unknown_part, 400, "VALIDATION_FAILED").await;
    let bad_json = post_form(
        &app,
        &room,
        Form::new().text("payload_json", "{\"content\": 5}"),
    )
    .await;
    assert_error(bad_json, 400, "VALIDATION_FAILED").await;
    // No files and no text is an empty message.
    let empty = post_form(&app, &room, Form::new().text("payload_json", "{}")).await;
    assert_error(empty, 400, "VALIDATION_FAILED").await;

    // Without ATTACH_FILES in the channel, files are refused before a byte is stored.
    app.expect(
        Method::PUT,
        &format!(
            "/api/v1/channels/{}/permissions/{}",
            room.channel, room.guild_id
        ),
        &room.owner,
        Some(json!({"type": 0, "allow": "0", "deny": (1u64 << 15).to_string()})),
        204,
    )
    .await;
    let denied = send_files(
        &app,
        &room.member,
        &room.channel,
        json!({}),
        vec![("a", small())],
    )
    .await;
    assert_error(denied, 403, "MISSING_PERMISSIONS").await;

    // Nothing of any refused upload is left: no rows (the janitor's queue is drained) and no blobs.
    crate::attachments::settle(&app).await;
    let left = std::fs::read_dir(app.config.files_dir().join("attachments"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "refused uploads left blobs behind");
}

/// Waits until the janitor has emptied the deletion queue.
pub async fn settle(app: &TestApp) {
    let store = hearth_store::Store::connect(&app.config.store_options())
        .await
        .unwrap();
    for _ in 0..200 {
        if store.blob_deletions(1).await.unwrap().is_empty() {
            store.close().await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the janitor did not empty its queue");
}

async fn the_quota_counts_what_a_user_has_stored(backend: Backend) {
    let app = spawn_app_with(backend, |c| c.media.user_quota_bytes = 1500).await;
    let room = room(&app).await;
    let first = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({}),
        vec![("a", vec![1u8; 1000])],
    )
    .await;
    assert_eq!(first.status(), 201);
    let second = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({}),
        vec![("b", vec![1u8; 1000])],
    )
    .await;
    assert_error(second, 400, "QUOTA_EXCEEDED").await;
    // Another user has their own quota.
    let theirs = send_files(
        &app,
        &room.member,
        &room.channel,
        json!({}),
        vec![("c", vec![1u8; 1000])],
    )
    .await;
    assert_eq!(theirs.status(), 201);
    // Deleting the message frees the space.
    let message: Value = first.json().await.unwrap();
    delete_message(&app, &room, &message).await;
    let again = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({}),
        vec![("d", vec![1u8; 1000])],
    )
    .await;
    assert_eq!(again.status(), 201);
}

async fn downloads_need_a_valid_signature_or_a_reader_and_stop_with_the_message(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    let sent = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({"content": "doc"}),
        vec![("notes.txt", b"hello".to_vec())],
    )
    .await;
    let message: Value = sent.json().await.unwrap();
    let attachment = &message["attachments"][0];
    let url = attachment["url"].as_str().unwrap().to_owned();
    let bare = url.split('?').next().unwrap().to_owned();
    assert_eq!(fetch(&app, &url, None).await.status(), 200);
    // No signature and no token; a forged signature; an expired-looking one.
    assert_error(fetch(&app, &bare, None).await, 401, "UNAUTHORIZED").await;
    let forged = format!("{bare}?ex=ffffffff&hm={}", "00".repeat(32));
    assert_error(fetch(&app, &forged, None).await, 401, "UNAUTHORIZED").await;
    let expired = url.replacen("ex=", "ex=1", 1);
    assert_error(fetch(&app, &expired, None).await, 401, "UNAUTHORIZED").await;
    // A reader's token works without a signature; a stranger's does not.
    assert_eq!(fetch(&app, &bare, Some(&room.member)).await.status(), 200);
    let (stranger, _) = app.register("stranger", None).await;
    assert_error(
        fetch(&app, &bare, Some(&stranger)).await,
        404,
        "UNKNOWN_ATTACHMENT",
    )
    .await;
    // A signature for one attachment does not open another.
    let query = url.split('?').nth(1).unwrap();
    let other = format!("/attachments/{}/1/x?{query}", room.channel);
    assert_eq!(fetch(&app, &other, None).await.status(), 401);

    let id = id_of(attachment);
    assert_eq!(blobs_of(&app, &id), vec!["file"]);
    delete_message(&app, &room, &message).await;
    assert_error(fetch(&app, &url, None).await, 404, "UNKNOWN_ATTACHMENT").await;
    settle(&app).await;
    assert!(
        blobs_of(&app, &id).is_empty(),
        "the deleted message's file is still stored"
    );
}

async fn an_image_that_does_not_decode_is_served_as_a_download(backend: Backend) {
    let app = spawn_app(backend).await;
    let room = room(&app).await;
    // A PNG header claiming 100000 × 100000 pixels: a decompression bomb, refused before decoding.
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let sent = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({}),
        vec![("bomb.png", bomb)],
    )
    .await;
    assert_eq!(sent.status(), 201);
    let message: Value = sent.json().await.unwrap();
    assert_eq!(message["attachments"][0]["processing"], true);
    let done = processed(&app, &id_of(&message)).await;
    assert_eq!(done[0]["content_type"], "application/octet-stream");
    assert!(done[0].get("width").is_none());
    let served = fetch(&app, done[0]["url"].as_str().unwrap(), None).await;
    assert_eq!(served.status(), 200);
    assert!(
        served.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
}

async fn files_live_in_an_s3_bucket_just_the_same(backend: Backend) {
    use hearth_media::blob::{BlobConfig, BlobStore, S3Config};
    use hearth_server::config::StorageBackend;

    let s3 = hearth_media::test_s3::S3Server::start("hearth-files").await;
    let endpoint = s3.endpoint.clone();
    let app = spawn_app_with(backend, |c| {
        let storage = &mut c.media.storage;
        storage.backend = StorageBackend::S3;
        storage.bucket = "hearth-files".into();
        storage.endpoint = endpoint;
        storage.access_key_id = "test".into();
        storage.secret_access_key = "test".into();
        storage.allow_http = true;
    })
    .await;
    let bucket = BlobStore::open(&BlobConfig::S3(S3Config {
        bucket: "hearth-files".into(),
        region: "us-east-1".into(),
        endpoint: s3.endpoint.clone(),
        access_key_id: "test".into(),
        secret_access_key: "test".into(),
        allow_http: true,
        path_style: true,
    }))
    .unwrap();
    let room = room(&app).await;
    let sent = send_files(
        &app,
        &room.owner,
        &room.channel,
        json!({}),
        vec![
            ("photo.jpg", jpeg_with_exif(900, 600)),
            ("notes.txt", b"hello".to_vec()),
        ],
    )
    .await;
    assert_eq!(sent.status(), 201);
    let message: Value = sent.json().await.unwrap();
    let done = processed(&app, &id_of(&message)).await;
    let image = id_of(&done[0]);
    let mut keys = bucket.list(&format!("attachments/{image}/")).await.unwrap();
    keys.sort();
    assert!(
        keys.contains(&format!("attachments/{image}/file")),
        "{keys:?}"
    );
    assert!(!keys.iter().any(|k| k.ends_with("/original")), "{keys:?}");
    let body = fetch(&app, done[0]["url"].as_str().unwrap(), None)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(!contains(&body, b"GPS-SECRET"));
    let text = fetch(&app, done[1]["url"].as_str().unwrap(), None).await;
    assert_eq!(text.bytes().await.unwrap(), &b"hello"[..]);

    delete_message(&app, &room, &message).await;
    settle(&app).await;
    assert!(bucket.list("attachments/").await.unwrap().is_empty());

    // Without its bucket the node is not ready.
    assert_eq!(app.get("/readyz", None).await.status(), 200);
    drop(s3);
    assert_eq!(app.get("/readyz", None).await.status(), 503);
}
