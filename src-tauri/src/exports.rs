//! Files the app writes for people to open elsewhere (CSV exports), all in the data folder's
//! `exports/` so they are easy to find, named by what and when.

use std::io::BufWriter;
use std::path::{Path, PathBuf};

use switchboard_core::CoreError;

use crate::wire::ExportView;

/// Writes `exports/{name}-{time}.csv` (with `-2`, `-3`… when two exports fall in the same
/// second: an export never replaces another) off the async runtime with `write`; returns
/// where and how many rows.
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
    let stem = format!("{name}-{}", chrono::Utc::now().format("%Y%m%d-%H%M%S"));
    let path = tauri::async_runtime::spawn_blocking(move || -> Result<PathBuf, CoreError> {
        std::fs::create_dir_all(&dir)?;
        let mut n = 1;
        loop {
            let path = match n {
                1 => dir.join(format!("{stem}.csv")),
                _ => dir.join(format!("{stem}-{n}.csv")),
            };
            match std::fs::File::create_new(&path) {
                Ok(file) => {
                    write(BufWriter::new(file))?;
                    return Ok(path);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(e.into()),
            }
        }
    })
    .await
    .map_err(|e| CoreError::Io(std::io::Error::other(e.to_string())))??;
    Ok(ExportView {
        path: path.display().to_string(),
        rows,
    })
}
