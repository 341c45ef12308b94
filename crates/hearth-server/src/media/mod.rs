//! Files in the server: the blob store, signed download addresses, the upload pipeline, the
//! processing queue and the janitor that deletes blobs whose rows are gone.
//!
//! The flow of an attachment: `upload` reserves a row, streams the part into the blob store
//! (sniffing its type, enforcing the size limit) and marks images as waiting; the send attaches the
//! rows in the message's transaction; `processor` derives thumbnails and the cleaned image off the
//! request path and announces the result with MESSAGE_UPDATE; deleting the message (by any path)
//! queues the blobs, and `janitor` deletes them.

pub mod janitor;
pub mod keys;
pub mod processor;
pub mod signing;
pub mod upload;

use hearth_media::blob::{BlobConfig, BlobStore, S3Config};
use hearth_media::image::ImageLimits;
use hearth_store::Store;

use crate::config::{Config, StorageBackend};
use signing::UrlSigner;

/// Avatars, banners and icons are not processed yet (the image pipeline and their routes land next):
/// a body that sets one is refused rather than silently ignored. Clearing (`null`) is accepted, as
/// there is nothing to clear.
pub fn refuse_image_upload(
    field: &str,
    value: &Option<Option<String>>,
) -> crate::error::ApiResult<()> {
    match value {
        Some(Some(_)) => Err(crate::error::ApiError::field(
            field,
            "image uploads for profiles, guilds and roles are not available on this server yet",
        )),
        _ => Ok(()),
    }
}

/// Everything file handling needs, built once at start-up.
pub struct Media {
    pub blobs: BlobStore,
    pub signer: UrlSigner,
    pub processor: processor::Queue,
    pub image_limits: ImageLimits,
}

impl Media {
    /// Opens the configured storage and loads (or makes) the shared signing key.
    pub async fn open(config: &Config, store: &Store) -> anyhow::Result<Self> {
        let storage = &config.media.storage;
        let blob_config = match storage.backend {
            StorageBackend::Local => BlobConfig::Local(config.files_dir()),
            StorageBackend::S3 => BlobConfig::S3(S3Config {
                bucket: storage.bucket.clone(),
                region: storage.region.clone(),
                endpoint: storage.endpoint.clone(),
                access_key_id: storage.access_key_id.clone(),
                secret_access_key: storage.secret_access_key.clone(),
                allow_http: storage.allow_http,
                path_style: storage.path_style,
            }),
        };
        let blobs = BlobStore::open(&blob_config)?;
        let mut candidate = [0u8; 32];
        rand::fill(&mut candidate);
        let key = store
            .secret(signing::KEY_NAME, &hex::encode(candidate))
            .await?;
        let key =
            hex::decode(key).map_err(|_| anyhow::anyhow!("the stored media key is not hex"))?;
        Ok(Self {
            blobs,
            signer: UrlSigner::new(key, config.media.signed_url_ttl_secs),
            processor: processor::Queue::new(),
            image_limits: ImageLimits {
                max_pixels: config.media.max_image_pixels,
                ..ImageLimits::default()
            },
        })
    }
}
