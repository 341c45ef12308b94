//! The `hearth` command line against real storage: admin commands, config, migrations, backup/restore.

use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::helpers::{
    Backend, PASSWORD, both_backends, fresh_database, run_hearth, spawn_app, start, stdout,
    test_config,
};

both_backends!(
    created_users_sign_in_with_the_printed_password,
    admin_rights_are_granted_and_revoked_but_the_owner_keeps_them,
    reset_password_signs_the_account_out_everywhere,
    registration_mode_set_on_the_command_line_applies_to_the_running_server,
    migrate_status_lists_applied_migrations,
    a_backup_taken_under_write_load_restores_everything_acknowledged,
);

async fn created_users_sign_in_with_the_printed_password(backend: Backend) {
    let app = spawn_app(backend).await;
    let out = app.hearth(&["admin", "create-user", "root", "--admin"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let password = stdout(&out);
    assert!(password.len() >= 16);
    let body: Value = app.login("root", &password).await.json().await.unwrap();
    assert_eq!(
        body["user"]["owner"], true,
        "the first account is the owner even when made by an admin command"
    );
    let out = app.hearth(&["admin", "create-user", "plain"]);
    let body: Value = app
        .login("plain", &stdout(&out))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["user"]["admin"], false);
    assert!(
        !app.hearth(&["admin", "create-user", "PLAIN"])
            .status
            .success(),
        "duplicate names are refused"
    );
    assert!(
        !app.hearth(&["admin", "create-user", "x"]).status.success(),
        "invalid names are refused"
    );
}

async fn admin_rights_are_granted_and_revoked_but_the_owner_keeps_them(backend: Backend) {
    let app = spawn_app(backend).await;
    app.owner_with_open_registration().await;
    let (bob, _) = app.register("bob", None).await;
    assert_eq!(
        app.get("/api/v1/admin/settings", Some(&bob)).await.status(),
        403
    );
    assert!(
        app.hearth(&["admin", "grant-admin", "bob"])
            .status
            .success()
    );
    assert_eq!(
        app.get("/api/v1/admin/settings", Some(&bob)).await.status(),
        200,
        "applies at once"
    );
    assert!(
        app.hearth(&["admin", "revoke-admin", "bob"])
            .status
            .success()
    );
    assert_eq!(
        app.get("/api/v1/admin/settings", Some(&bob)).await.status(),
        403
    );
    let refused = app.hearth(&["admin", "revoke-admin", "owner"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("owner"));
    assert!(
        !app.hearth(&["admin", "grant-admin", "nobody"])
            .status
            .success()
    );
}

async fn reset_password_signs_the_account_out_everywhere(backend: Backend) {
    let app = spawn_app(backend).await;
    let token = app.owner().await;
    let out = run_hearth(
        &app.config,
        &["admin", "reset-password", "owner", "--password-stdin"],
        Some("brand new password\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.get("/api/v1/users/@me", Some(&token)).await.status(),
        401
    );
    assert_eq!(app.login("owner", PASSWORD).await.status(), 401);
    assert_eq!(app.login("owner", "brand new password").await.status(), 200);
}

async fn registration_mode_set_on_the_command_line_applies_to_the_running_server(backend: Backend) {
    let app = spawn_app(backend).await;
    app.owner().await;
    assert_eq!(app.register_raw("bob", PASSWORD, None).await.status(), 403);
    assert!(
        app.hearth(&["admin", "registration", "open"])
            .status
            .success()
    );
    assert_eq!(app.register_raw("bob", PASSWORD, None).await.status(), 201);
    assert!(
        app.hearth(&["admin", "registration", "closed"])
            .status
            .success()
    );
    assert_eq!(
        app.register_raw("carol", PASSWORD, None).await.status(),
        403
    );
    assert!(
        !app.hearth(&["admin", "registration", "sometimes"])
            .status
            .success()
    );
}

async fn migrate_status_lists_applied_migrations(backend: Backend) {
    let app = spawn_app(backend).await;
    let out = app.hearth(&["migrate", "status"]);
    assert!(out.status.success());
    assert!(
        stdout(&out).contains("applied  accounts"),
        "{}",
        stdout(&out)
    );
    assert!(
        app.hearth(&["migrate"]).status.success(),
        "applying again is harmless"
    );
}

/// Registrations run continuously while `hearth backup` runs; every registration acknowledged before the
/// backup started must be present after restoring into a fresh instance, and the restored instance works.
async fn a_backup_taken_under_write_load_restores_everything_acknowledged(backend: Backend) {
    let app = spawn_app(backend).await;
    let owner = app.owner_with_open_registration().await;
    std::fs::write(
        app.data_dir().join("files").join("kept.bin"),
        b"stored file",
    )
    .unwrap();

    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (client, url, acknowledged, stop) = (
            app.client.clone(),
            app.url("/api/v1/auth/register"),
            acknowledged.clone(),
            stop.clone(),
        );
        tokio::spawn(async move {
            let mut i = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let name = format!("load{i}");
                let body = serde_json::json!({"username": name, "password": PASSWORD});
                let response = client.post(&url).json(&body).send().await.unwrap();
                assert_eq!(response.status(), 201);
                acknowledged.lock().unwrap().push(name);
                i += 1;
            }
        })
    };
    while acknowledged.lock().unwrap().len() < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let before_backup = acknowledged.lock().unwrap().clone();
    let file = app.dir.path().join("backup.tar.gz");
    let config = app.config.clone();
    let file_arg = file.to_str().unwrap().to_owned();
    let out =
        tokio::task::spawn_blocking(move || run_hearth(&config, &["backup", &file_arg], None))
            .await
            .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out), file.display().to_string());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "backups hold password hashes: owner-only");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.await.unwrap();
    assert!(
        acknowledged.lock().unwrap().len() > before_backup.len(),
        "writes continued during the backup"
    );

    // Restore into a brand-new data directory and database, then start a server on it.
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(backend, dir.path()).await;
    let restored_config = test_config(&dir.path().join("data"), url);
    let out = run_hearth(&restored_config, &["restore", file.to_str().unwrap()], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !run_hearth(&restored_config, &["restore", file.to_str().unwrap()], None)
            .status
            .success(),
        "restore refuses a non-empty target"
    );
    let restored = start(restored_config, dir).await;
    assert_eq!(
        std::fs::read(restored.data_dir().join("files").join("kept.bin")).unwrap(),
        b"stored file"
    );
    let me: Value = restored
        .get("/api/v1/users/@me", Some(&owner))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "owner", "sessions survive a restore");
    for name in &before_backup {
        assert_eq!(
            restored.login(name, PASSWORD).await.status(),
            200,
            "{name} was acknowledged before the backup"
        );
    }
}
