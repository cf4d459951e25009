//! What the app's executable offers the libraries it loads.

/// The bundled SQLite is not exported: libwebkit2gtk links the system's libsqlite3, and an
/// exported copy in the executable would take its calls.
#[cfg(target_os = "linux")]
#[test]
fn the_bundled_sqlite_stays_private() {
    let exe = env!("CARGO_BIN_EXE_switchboard-desktop");
    let out = std::process::Command::new("nm")
        .args(["-D", "--defined-only", exe])
        .output()
        .expect("nm (binutils, part of build-essential) runs");
    assert!(
        out.status.success(),
        "nm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    let sqlite: Vec<&str> = listed
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .filter(|name| name.starts_with("sqlite3"))
        .collect();
    assert!(
        sqlite.is_empty(),
        "the executable exports {} SQLite functions: {sqlite:?}",
        sqlite.len()
    );
}
