//! Argon2id hashing on the blocking pool behind a concurrency cap.
//!
//! Each hash takes `argon2_memory_kib` of memory and tens of milliseconds of CPU. Running it on the async
//! workers would stall every other request, and running unbounded numbers at once would let a login flood
//! exhaust memory, so hashes run on `spawn_blocking` and a semaphore admits at most N at a time; a request
//! that cannot get a permit within `PERMIT_WAIT` is answered 503 with `Retry-After`.

use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use hearth_core::Password;
use tokio::sync::Semaphore;

use crate::config::AuthConfig;
use crate::error::{ApiError, ApiResult};

const PERMIT_WAIT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// A real hash of a random password: verifying against it when the username is unknown makes that
    /// answer take as long as a wrong password does.
    dummy_hash: Arc<str>,
}

impl PasswordHasher {
    pub fn new(config: &AuthConfig) -> anyhow::Result<Self> {
        let params = Params::new(
            config.argon2_memory_kib,
            config.argon2_iterations,
            config.argon2_parallelism,
            None,
        )
        .map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
        let permits = match config.max_concurrent_hashes {
            0 => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            n => n,
        };
        let mut random = [0u8; 24];
        rand::fill(&mut random);
        let dummy_hash = hash_blocking(&params, &hex::encode(random))?;
        Ok(Self {
            params,
            permits: Arc::new(Semaphore::new(permits)),
            dummy_hash: dummy_hash.into(),
        })
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &Password) -> ApiResult<String> {
        let params = self.params.clone();
        let password = password.expose().to_owned();
        self.run(move || hash_blocking(&params, &password).map_err(ApiError::Internal))
            .await
    }

    /// Checks a password against a stored hash; `None` (no such user, or no password) is checked against
    /// the dummy hash and always fails, in comparable time.
    pub async fn verify(&self, stored: Option<&str>, password: &str) -> ApiResult<bool> {
        let (hash, is_real) = match stored {
            Some(h) => (h.to_owned(), true),
            None => (self.dummy_hash.to_string(), false),
        };
        let password = password.to_owned();
        let matches = self
            .run(move || {
                let parsed = PasswordHash::new(&hash)
                    .map_err(|e| ApiError::Internal(anyhow::anyhow!("stored hash: {e}")))?;
                // The parameters come from the stored hash, so hashes made with older settings still verify.
                Ok(Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok())
            })
            .await?;
        Ok(matches && is_real)
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> ApiResult<T> + Send + 'static,
    ) -> ApiResult<T> {
        let permit = tokio::time::timeout(PERMIT_WAIT, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| ApiError::Busy {
                retry_after: Duration::from_secs(5),
            })?
            .map_err(|e| ApiError::Internal(e.into()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            job()
        })
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
    }
}

fn hash_blocking(params: &Params, password: &str) -> anyhow::Result<String> {
    let mut salt_bytes = [0u8; 16];
    rand::fill(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    argon
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
}
