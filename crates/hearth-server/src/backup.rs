//! `hearth backup` and `hearth restore`: one gzipped tar holding a consistent database snapshot and the
//! stored files.
//!
//! Layout: `hearth-backup.json` (manifest), `db/<table>.jsonl` (one JSON array per row, columns in the
//! order of `hearth_store::snapshot::TABLES`), `files/…` (the files directory). The database snapshot is
//! taken first, in one read transaction, while the server keeps running; files are copied after it.
//! Stored files are written before the rows that reference them and never modified in place, so every
//! file the snapshot references is already on disk when the copy runs.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail, ensure};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use hearth_store::Store;
use hearth_store::snapshot::{self, TableSchema};
use serde::{Deserialize, Serialize};

const MANIFEST: &str = "hearth-backup.json";
const FORMAT: &str = "hearth-backup";
const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    pub hearth_version: String,
    pub schema_version: i64,
    pub created_at: String,
    pub backend: String,
    pub rows: BTreeMap<String, u64>,
}

/// Writes a backup of `store` and `files_dir` to `out` (atomically: a partial file never appears there).
pub async fn create(store: &Store, files_dir: &Path, out: &Path) -> anyhow::Result<Manifest> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let work = tempfile::Builder::new()
        .prefix(".hearth-backup-")
        .tempdir_in(parent)?;
    std::fs::create_dir(work.path().join("db"))?;

    let mut writers: BTreeMap<&'static str, BufWriter<File>> = BTreeMap::new();
    for table in snapshot::TABLES {
        let file = File::create(work.path().join("db").join(format!("{}.jsonl", table.name)))?;
        writers.insert(table.name, BufWriter::new(file));
    }
    let mut rows: BTreeMap<String, u64> = snapshot::TABLES
        .iter()
        .map(|t| (t.name.to_owned(), 0))
        .collect();
    let mut sink =
        |table: &'static TableSchema, row: Vec<serde_json::Value>| -> std::io::Result<()> {
            let writer = writers
                .get_mut(table.name)
                .ok_or_else(|| std::io::Error::other("unknown table"))?;
            serde_json::to_writer(&mut *writer, &row)?;
            writer.write_all(b"\n")?;
            *rows.entry(table.name.to_owned()).or_default() += 1;
            Ok(())
        };
    let schema_version = store.export_snapshot(&mut sink).await?;
    for (_, mut writer) in writers {
        writer.flush()?;
    }
    let manifest = Manifest {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        hearth_version: env!("CARGO_PKG_VERSION").into(),
        schema_version,
        created_at: crate::clock::rfc3339(crate::clock::now_ms()),
        backend: store.kind().as_str().into(),
        rows,
    };

    let partial = work.path().join("backup.tar.gz");
    let files_dir = files_dir.to_owned();
    let db_dir = work.path().join("db");
    let manifest_json = serde_json::to_vec_pretty(&manifest)?;
    let partial_for_task = partial.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let file = File::create(&partial_for_task)?;
        // The archive holds password and session hashes: readable by its owner only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        let mut tar =
            tar::Builder::new(GzEncoder::new(BufWriter::new(file), Compression::default()));
        tar.follow_symlinks(false);
        let mut header = tar::Header::new_gnu();
        header.set_size(manifest_json.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        tar.append_data(&mut header, MANIFEST, manifest_json.as_slice())?;
        tar.append_dir_all("db", &db_dir)?;
        if files_dir.is_dir() {
            tar.append_dir_all("files", &files_dir)?;
        }
        let gz = tar.into_inner()?;
        let file = gz.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    })
    .await??;
    std::fs::rename(&partial, out)
        .with_context(|| format!("moving the backup to {}", out.display()))?;
    Ok(manifest)
}

/// Only these paths may come out of an archive; anything else (absolute paths, `..`, links) is refused.
fn is_allowed_entry(path: &Path) -> bool {
    if !path.components().all(|c| matches!(c, Component::Normal(_))) {
        return false;
    }
    // Compared component-wise, so `db/` (a directory entry) and `db` are the same path.
    let text = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    text == MANIFEST
        || text == "db"
        || text == "files"
        || text.starts_with("files/")
        || text
            .strip_prefix("db/")
            .and_then(|f| f.strip_suffix(".jsonl"))
            .is_some_and(|name| snapshot::table(name).is_some())
}

/// Restores a backup into an empty database and an empty files directory.
pub async fn restore(store: &Store, files_dir: &Path, input: &Path) -> anyhow::Result<Manifest> {
    if files_dir.is_dir() && std::fs::read_dir(files_dir)?.next().is_some() {
        bail!("the files directory {} is not empty", files_dir.display());
    }
    let parent = files_dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let work = tempfile::Builder::new()
        .prefix(".hearth-restore-")
        .tempdir_in(parent)?;
    let input = input.to_owned();
    let target = work.path().to_owned();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let file = File::open(&input).with_context(|| format!("opening {}", input.display()))?;
        let mut archive = tar::Archive::new(GzDecoder::new(BufReader::new(file)));
        for entry in archive.entries()? {
            let mut entry = entry?;
            let path = entry.path()?.into_owned();
            let kind = entry.header().entry_type();
            ensure!(
                kind.is_file() || kind.is_dir(),
                "the backup holds a link or special file: {}",
                path.display()
            );
            ensure!(
                is_allowed_entry(&path),
                "the backup holds an unexpected entry: {}",
                path.display()
            );
            entry.unpack_in(&target)?;
        }
        Ok(())
    })
    .await??;

    let manifest: Manifest = serde_json::from_reader(BufReader::new(
        File::open(work.path().join(MANIFEST)).context("the backup has no manifest")?,
    ))?;
    ensure!(
        manifest.format == FORMAT && manifest.format_version == FORMAT_VERSION,
        "not a Hearth backup (or a newer format)"
    );
    let db_dir = work.path().join("db");
    let mut source = |table: &'static TableSchema| -> std::io::Result<snapshot::Rows> {
        let path = db_dir.join(format!("{}.jsonl", table.name));
        if !path.exists() {
            return Ok(Box::new(std::iter::empty()));
        }
        let lines = BufReader::new(File::open(path)?).lines();
        Ok(Box::new(lines.filter_map(|line| match line {
            Ok(line) if line.is_empty() => None,
            Ok(line) => Some(serde_json::from_str(&line).map_err(std::io::Error::from)),
            Err(e) => Some(Err(e)),
        })))
    };
    store
        .import_snapshot(manifest.schema_version, &mut source)
        .await?;

    let restored_files = work.path().join("files");
    if restored_files.is_dir() {
        if files_dir.exists() {
            std::fs::remove_dir(files_dir)?;
        }
        std::fs::rename(&restored_files, files_dir)?;
    } else {
        std::fs::create_dir_all(files_dir)?;
    }
    Ok(manifest)
}

/// Default name for a backup file: `hearth-backup-<utc timestamp>.tar.gz`.
pub fn default_file_name() -> PathBuf {
    let stamp = crate::clock::rfc3339(crate::clock::now_ms()).replace([':', '.'], "-");
    PathBuf::from(format!("hearth-backup-{stamp}.tar.gz"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_expected_archive_paths_are_allowed() {
        for ok in [
            "hearth-backup.json",
            "db/users.jsonl",
            "files/ab/cd.png",
            "files",
        ] {
            assert!(is_allowed_entry(Path::new(ok)), "{ok}");
        }
        for bad in [
            "../etc/passwd",
            "/etc/passwd",
            "db/unknown.jsonl",
            "other.txt",
            "files/../../x",
        ] {
            assert!(!is_allowed_entry(Path::new(bad)), "{bad}");
        }
    }
}
