//! Files the app writes for people to open elsewhere (CSV exports), all in the data folder's
//! `exports/` so they are easy to find, named by what and when.

use std::io::BufWriter;
use std::path::Path;

use switchboard_core::CoreError;

use crate::wire::ExportView;

/// Writes `exports/{name}-{time}.csv` off the async runtime with `write`; returns where and
/// how many rows.
pub async fn write_csv<F>(
    data_dir: &Path,
    name: &str,
    rows: u32,
    write: F,
) -> Result<ExportView, CoreError>
where
    F: FnOnce(BufWriter<std::fs::File>) -> Result<(), CoreError> + Send + 'static,
{
    let dir = data_dir.join("exports");
    let path = dir.join(format!(
        "{name}-{}.csv",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    ));
    let written = path.clone();
    tauri::async_runtime::spawn_blocking(move || -> Result<(), CoreError> {
        std::fs::create_dir_all(&dir)?;
        write(BufWriter::new(std::fs::File::create(&written)?))
    })
    .await
    .map_err(|e| CoreError::Io(std::io::Error::other(e.to_string())))??;
    Ok(ExportView {
        path: path.display().to_string(),
        rows,
    })
}
