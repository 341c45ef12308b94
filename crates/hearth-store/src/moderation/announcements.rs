//! Instance announcements: notices the admins post to every signed-in user, optionally expiring.

use hearth_core::Snowflake;
use hearth_core::instance::{AnnouncementContent, AnnouncementTitle, MAX_ACTIVE_ANNOUNCEMENTS};

use super::{NewInstanceAuditEntry, insert_instance_audit_in};
use crate::StoreError;
use crate::backend::{BeginWrite, DbRow, Store, on_reader, on_writer};
use crate::settings::lock_instance_in;

#[derive(Debug, Clone, PartialEq)]
pub struct AnnouncementRecord {
    pub id: Snowflake,
    /// The admin who posted it. Not a foreign key: the announcement outlives what happens to the
    /// account.
    pub author_id: Option<Snowflake>,
    pub title: String,
    pub content: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
}

impl AnnouncementRecord {
    fn from_row(row: &impl DbRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: Snowflake::from_db(row.int("id")?),
            author_id: row.opt_int("author_id")?.map(Snowflake::from_db),
            title: row.text("title")?,
            content: row.text("content")?,
            created_at: row.int("created_at")?,
            expires_at: row.opt_int("expires_at")?,
        })
    }

    /// Whether it is shown at `now_ms`.
    pub fn is_active(&self, now_ms: i64) -> bool {
        self.expires_at.is_none_or(|at| at > now_ms)
    }
}

#[derive(Debug, Clone)]
pub struct NewAnnouncement {
    pub id: Snowflake,
    pub author_id: Option<Snowflake>,
    pub title: AnnouncementTitle,
    pub content: AnnouncementContent,
    pub now_ms: i64,
    /// Already checked to lie after `now_ms` (`hearth_core::instance::parse_announcement_expiry`).
    pub expires_at: Option<i64>,
}

/// The columns [`AnnouncementRecord::from_row`] reads, as a literal for `concat!`.
macro_rules! columns {
    () => {
        "id, author_id, title, content, created_at, expires_at"
    };
}

impl Store {
    /// Posts an announcement with its audit entry. At most [`MAX_ACTIVE_ANNOUNCEMENTS`] are shown at
    /// once, counted inside the transaction under the instance lock, so that concurrent posts cannot
    /// pass the bound together.
    pub async fn create_announcement(
        &self,
        new: &NewAnnouncement,
        entry: &NewInstanceAuditEntry,
    ) -> Result<AnnouncementRecord, StoreError> {
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            lock_instance_in!(tx);
            let (active,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM announcements WHERE expires_at IS NULL OR expires_at > $1",
            )
            .bind(new.now_ms)
            .fetch_one(&mut *tx)
            .await?;
            if active >= i64::from(MAX_ACTIVE_ANNOUNCEMENTS) {
                return Err(StoreError::LimitReached("active announcements"));
            }
            sqlx::query(
                "INSERT INTO announcements (id, author_id, title, content, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new.id.to_db())
            .bind(new.author_id.map(Snowflake::to_db))
            .bind(new.title.as_str())
            .bind(new.content.as_str())
            .bind(new.now_ms)
            .bind(new.expires_at)
            .execute(&mut *tx)
            .await?;
            insert_instance_audit_in!(tx, entry);
            tx.commit().await?;
            Ok::<_, StoreError>(())
        })?;
        Ok(AnnouncementRecord {
            id: new.id,
            author_id: new.author_id,
            title: new.title.as_str().to_owned(),
            content: new.content.as_str().to_owned(),
            created_at: new.now_ms,
            expires_at: new.expires_at,
        })
    }

    /// Every announcement, expired or not, newest first: a page of at most `limit` older than `before`.
    pub async fn announcements(
        &self,
        before: Option<Snowflake>,
        limit: u32,
    ) -> Result<Vec<AnnouncementRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM announcements WHERE id < $1 ORDER BY id DESC LIMIT $2"
        );
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(before.map_or(i64::MAX, Snowflake::to_db))
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(AnnouncementRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// The announcements shown at `now_ms`, newest first (at most [`MAX_ACTIVE_ANNOUNCEMENTS`]).
    pub async fn active_announcements(
        &self,
        now_ms: i64,
    ) -> Result<Vec<AnnouncementRecord>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            columns!(),
            " FROM announcements WHERE expires_at IS NULL OR expires_at > $1 \
             ORDER BY id DESC LIMIT $2"
        );
        on_reader!(self, |db| {
            let rows = sqlx::query(SQL)
                .bind(now_ms)
                .bind(i64::from(MAX_ACTIVE_ANNOUNCEMENTS))
                .fetch_all(db)
                .await?;
            Ok(rows
                .iter()
                .map(AnnouncementRecord::from_row)
                .collect::<Result<_, _>>()?)
        })
    }

    /// Deletes an announcement with its audit entry; `None` (and no entry) when there is none.
    pub async fn delete_announcement(
        &self,
        id: Snowflake,
        entry: &NewInstanceAuditEntry,
    ) -> Result<Option<AnnouncementRecord>, StoreError> {
        const SQL: &str = concat!(
            "DELETE FROM announcements WHERE id = $1 RETURNING ",
            columns!()
        );
        on_writer!(self, |db| {
            let mut tx = db.begin_write().await?;
            let Some(row) = sqlx::query(SQL)
                .bind(id.to_db())
                .fetch_optional(&mut *tx)
                .await?
            else {
                return Ok(None);
            };
            let deleted = AnnouncementRecord::from_row(&row)?;
            insert_instance_audit_in!(tx, entry);
            tx.commit().await?;
            Ok(Some(deleted))
        })
    }
}
