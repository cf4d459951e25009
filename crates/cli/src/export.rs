//! `switchboard export`: the send log of the app's database as CSV on standard output.

/// Writes the send log of the database the app uses (the demo's in demo mode) as CSV.
pub fn export(
    filter: switchboard_core::send_log::LogFilter,
    data_dir: Option<std::path::PathBuf>,
) -> Result<(), String> {
    let dir = crate::args::data_dir(data_dir)?;
    let config = crate::args::load_config(&dir)?;
    let file = config.database_file().ok_or(
        "demo mode is off and no account is set up, so there is no send log: connect an account in the app's Settings",
    )?;
    let database = dir.join(&file);
    if !database.exists() {
        return Err(format!(
            "there is no database at {}: start the app once, or give its data folder with --data-dir",
            database.display()
        ));
    }
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    let entries = runtime
        .block_on(async {
            let store = switchboard_core::store::Store::open(&database).await?;
            let entries = switchboard_core::send_log::entries(store.pool(), &filter).await;
            store.close().await;
            entries
        })
        .map_err(|e| format!("{e}: {}", e.hint()))?;
    switchboard_core::send_log::write_csv(&entries, std::io::stdout().lock())
        .map_err(|e| e.to_string())
}
