//! Where blobs live: one interface over a local directory (the default, under the data dir) and any
//! S3-compatible service, both through `object_store`. Keys are `/`-separated paths chosen by the
//! server (derived from row ids), never from user input.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, PutPayload, WriteMultipart};

/// Bytes buffered per part of a streamed upload (S3's minimum part size is 5 MiB).
const UPLOAD_CHUNK_BYTES: usize = 5 * 1024 * 1024;
/// Parts of one streamed upload in flight at once: bounds an upload's memory to about
/// `UPLOAD_CHUNK_BYTES * (UPLOAD_PARTS_IN_FLIGHT + 1)`.
const UPLOAD_PARTS_IN_FLIGHT: usize = 2;

#[derive(Debug, Clone)]
pub enum BlobConfig {
    /// A directory (created if missing).
    Local(PathBuf),
    S3(S3Config),
}

#[derive(Debug, Clone, Default)]
pub struct S3Config {
    pub bucket: String,
    pub region: String,
    /// Empty: AWS itself.
    pub endpoint: String,
    /// Empty: the usual AWS environment variables and instance metadata.
    pub access_key_id: String,
    pub secret_access_key: String,
    pub allow_http: bool,
    pub path_style: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("no such blob")]
    NotFound,
    #[error("the blob is larger than {0} bytes")]
    TooLarge(u64),
    #[error("storage: {0}")]
    Storage(#[from] object_store::Error),
    #[error("storage setup: {0}")]
    Setup(String),
}

fn classify(e: object_store::Error) -> BlobError {
    match e {
        object_store::Error::NotFound { .. } => BlobError::NotFound,
        other => BlobError::Storage(other),
    }
}

/// A cheap, cloneable handle to the configured storage.
#[derive(Debug, Clone)]
pub struct BlobStore {
    inner: Arc<dyn ObjectStore>,
}

/// Part of a blob being read: `range` of the blob's `size` bytes, as a stream.
pub struct BlobRead {
    pub size: u64,
    pub range: Range<u64>,
    pub stream: BoxStream<'static, Result<Bytes, BlobError>>,
}

impl BlobStore {
    pub fn open(config: &BlobConfig) -> Result<Self, BlobError> {
        match config {
            BlobConfig::Local(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| {
                    BlobError::Setup(format!("cannot create {}: {e}", dir.display()))
                })?;
                let local = object_store::local::LocalFileSystem::new_with_prefix(dir)?
                    // Deleting a blob removes the directories it leaves empty, so the tree does not
                    // accumulate one empty directory per deleted attachment.
                    .with_automatic_cleanup(true);
                Ok(Self {
                    inner: Arc::new(local),
                })
            }
            BlobConfig::S3(s3) => {
                let mut builder = object_store::aws::AmazonS3Builder::from_env()
                    .with_bucket_name(&s3.bucket)
                    .with_region(&s3.region)
                    .with_allow_http(s3.allow_http)
                    .with_virtual_hosted_style_request(!s3.path_style);
                if !s3.endpoint.is_empty() {
                    builder = builder.with_endpoint(&s3.endpoint);
                }
                if !s3.access_key_id.is_empty() {
                    builder = builder
                        .with_access_key_id(&s3.access_key_id)
                        .with_secret_access_key(&s3.secret_access_key);
                }
                Ok(Self {
                    inner: Arc::new(builder.build()?),
                })
            }
        }
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> Result<(), BlobError> {
        self.inner
            .put(&Path::from(key), PutPayload::from(bytes))
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Starts a streamed write of `key`: the object appears only when [`BlobWriter::finish`] succeeds.
    pub async fn writer(&self, key: &str) -> Result<BlobWriter, BlobError> {
        let upload = self
            .inner
            .put_multipart(&Path::from(key))
            .await
            .map_err(classify)?;
        Ok(BlobWriter {
            inner: WriteMultipart::new_with_chunk_size(upload, UPLOAD_CHUNK_BYTES),
            written: 0,
        })
    }

    /// The whole blob, refused when larger than `max_bytes` (checked before reading).
    pub async fn get(&self, key: &str, max_bytes: u64) -> Result<Bytes, BlobError> {
        let path = Path::from(key);
        let meta = self.inner.head(&path).await.map_err(classify)?;
        if meta.size > max_bytes {
            return Err(BlobError::TooLarge(max_bytes));
        }
        let got = self.inner.get(&path).await.map_err(classify)?;
        got.bytes().await.map_err(classify)
    }

    /// A stream of the blob, or of `range` of it (the caller checks the range against the size).
    pub async fn read(&self, key: &str, range: Option<Range<u64>>) -> Result<BlobRead, BlobError> {
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let got = self
            .inner
            .get_opts(&Path::from(key), options)
            .await
            .map_err(classify)?;
        Ok(BlobRead {
            size: got.meta.size,
            range: got.range.clone(),
            stream: got.into_stream().map_err(classify).boxed(),
        })
    }

    /// The blob's size, or None when it does not exist.
    pub async fn size(&self, key: &str) -> Result<Option<u64>, BlobError> {
        match self.inner.head(&Path::from(key)).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(classify(e)),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), BlobError> {
        match self.inner.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    /// Deletes every blob under `prefix` (a `/`-terminated key prefix). Returns how many went.
    pub async fn delete_prefix(&self, prefix: &str) -> Result<usize, BlobError> {
        let path = Path::from(prefix.trim_end_matches('/'));
        let keys: Vec<Path> = self
            .inner
            .list(Some(&path))
            .map_ok(|meta| meta.location)
            .try_collect()
            .await
            .map_err(classify)?;
        let count = keys.len();
        let mut deleted = self
            .inner
            .delete_stream(futures_util::stream::iter(keys.into_iter().map(Ok)).boxed());
        while let Some(result) = deleted.next().await {
            match result {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(classify(e)),
            }
        }
        Ok(count)
    }

    /// The keys under `prefix`, for tests and the backup.
    pub async fn list(&self, prefix: &str) -> Result<Vec<String>, BlobError> {
        let path = Path::from(prefix.trim_end_matches('/'));
        let keys: Vec<String> = self
            .inner
            .list(Some(&path))
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
            .map_err(classify)?;
        Ok(keys)
    }

    /// Whether the storage answers (`/readyz`): lists at most one key.
    pub async fn check(&self) -> Result<(), BlobError> {
        let mut listing = self.inner.list(None);
        match listing.next().await {
            None | Some(Ok(_)) => Ok(()),
            Some(Err(e)) => Err(classify(e)),
        }
    }
}

/// A blob being written in parts; dropping it without `finish` leaves no object behind (call
/// `abort` to also release the parts an S3 multipart upload already stored).
pub struct BlobWriter {
    inner: WriteMultipart,
    written: u64,
}

impl BlobWriter {
    /// Appends `chunk`, waiting while too many parts are in flight (backpressure on the uploader).
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), BlobError> {
        self.inner
            .wait_for_capacity(UPLOAD_PARTS_IN_FLIGHT)
            .await
            .map_err(classify)?;
        self.inner.write(chunk);
        self.written += chunk.len() as u64;
        Ok(())
    }

    pub async fn finish(self) -> Result<u64, BlobError> {
        let written = self.written;
        self.inner.finish().await.map_err(classify)?;
        Ok(written)
    }

    pub async fn abort(self) {
        if let Err(e) = self.inner.abort().await {
            tracing::warn!(error = %e, "could not abort a streamed upload");
        }
    }
}
