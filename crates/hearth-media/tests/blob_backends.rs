//! The blob store behaves the same on a local directory and on a real S3-compatible server (moto):
//! every test body runs once per backend.

use bytes::Bytes;
use hearth_media::blob::{BlobConfig, BlobError, BlobStore, S3Config};

/// Enough for three parts of a streamed upload (parts are 5 MiB).
const LARGE: usize = 12 * 1024 * 1024 + 123;

async fn local() -> (BlobStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::open(&BlobConfig::Local(dir.path().join("files"))).unwrap();
    (store, dir)
}

async fn s3() -> (BlobStore, hearth_media::test_s3::S3Server) {
    let server = hearth_media::test_s3::S3Server::start("hearth-test").await;
    let store = BlobStore::open(&BlobConfig::S3(S3Config {
        bucket: "hearth-test".into(),
        region: "us-east-1".into(),
        endpoint: server.endpoint.clone(),
        access_key_id: "test".into(),
        secret_access_key: "test".into(),
        allow_http: true,
        path_style: true,
    }))
    .unwrap();
    (store, server)
}

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn local() {
                    let (store, _dir) = super::local().await;
                    super::$name(&store).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn s3() {
                    let (store, _server) = super::s3().await;
                    super::$name(&store).await;
                }
            }
        )*
    };
}

both_backends!(
    a_streamed_upload_reads_back_whole_and_in_ranges,
    an_aborted_or_unfinished_upload_leaves_nothing,
    deleting_a_prefix_removes_exactly_what_is_under_it,
    reads_of_missing_or_oversized_blobs_are_refused,
);

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

async fn collect(store: &BlobStore, key: &str, range: Option<std::ops::Range<u64>>) -> Vec<u8> {
    use futures_util::StreamExt;
    let mut read = store.read(key, range).await.unwrap();
    let mut out = Vec::new();
    while let Some(chunk) = read.stream.next().await {
        out.extend_from_slice(&chunk.unwrap());
    }
    out
}

async fn a_streamed_upload_reads_back_whole_and_in_ranges(store: &BlobStore) {
    let data = pattern(LARGE);
    let mut writer = store.writer("attachments/1/file").await.unwrap();
    // Uneven chunks, as a network delivers them.
    for chunk in data.chunks(64 * 1024 + 7) {
        writer.write(chunk).await.unwrap();
    }
    assert_eq!(writer.finish().await.unwrap(), LARGE as u64);
    assert_eq!(
        store.size("attachments/1/file").await.unwrap(),
        Some(LARGE as u64)
    );
    assert_eq!(collect(store, "attachments/1/file", None).await, data);
    let middle = 5 * 1024 * 1024 - 10..5 * 1024 * 1024 + 10;
    assert_eq!(
        collect(store, "attachments/1/file", Some(middle.clone())).await,
        data[middle.start as usize..middle.end as usize]
    );
    let read = store.read("attachments/1/file", Some(0..10)).await.unwrap();
    assert_eq!((read.size, read.range), (LARGE as u64, 0..10));

    store
        .put("attachments/1/t160.jpg", Bytes::from_static(b"thumb"))
        .await
        .unwrap();
    assert_eq!(
        store.get("attachments/1/t160.jpg", 100).await.unwrap(),
        Bytes::from_static(b"thumb")
    );
}

async fn an_aborted_or_unfinished_upload_leaves_nothing(store: &BlobStore) {
    let mut aborted = store.writer("attachments/2/file").await.unwrap();
    aborted.write(&pattern(6 * 1024 * 1024)).await.unwrap();
    aborted.abort().await;
    let mut dropped = store.writer("attachments/3/file").await.unwrap();
    dropped.write(b"never finished").await.unwrap();
    drop(dropped);
    assert_eq!(store.size("attachments/2/file").await.unwrap(), None);
    assert_eq!(store.size("attachments/3/file").await.unwrap(), None);
    assert!(store.list("attachments/").await.unwrap().is_empty());
}

async fn deleting_a_prefix_removes_exactly_what_is_under_it(store: &BlobStore) {
    for key in [
        "attachments/10/file",
        "attachments/10/t160.jpg",
        "attachments/100/file",
        "avatars/10/abc/128.png",
    ] {
        store.put(key, Bytes::from_static(b"x")).await.unwrap();
    }
    // A prefix is a path: `attachments/10/` does not reach `attachments/100/`.
    assert_eq!(store.delete_prefix("attachments/10/").await.unwrap(), 2);
    let mut left = store.list("").await.unwrap();
    left.sort();
    assert_eq!(left, vec!["attachments/100/file", "avatars/10/abc/128.png"]);
    // Deleting again, or something that never existed, is not an error.
    assert_eq!(store.delete_prefix("attachments/10/").await.unwrap(), 0);
    store.delete("nothing/here").await.unwrap();
    store.check().await.unwrap();
}

async fn reads_of_missing_or_oversized_blobs_are_refused(store: &BlobStore) {
    assert!(matches!(
        store.get("missing", 10).await,
        Err(BlobError::NotFound)
    ));
    assert!(matches!(
        store.read("missing", None).await,
        Err(BlobError::NotFound)
    ));
    store.put("big", Bytes::from(pattern(1000))).await.unwrap();
    // Refused from the size alone, before reading the bytes.
    assert!(matches!(
        store.get("big", 999).await,
        Err(BlobError::TooLarge(999))
    ));
    assert_eq!(store.get("big", 1000).await.unwrap().len(), 1000);
}
