//! One writer per data folder: a second app (or CLI) on the same folder is refused before it
//! opens the database, whatever the desktop offers for finding other instances.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::Path;

use crate::error::{CoreError, Result};

/// The lock file's name inside the data folder.
pub const LOCK_FILE: &str = "switchboard.lock";

/// An exclusive lock on the data folder, held until dropped (or the process ends, even by a
/// kill: the OS releases it, so a crash never leaves the folder locked).
#[derive(Debug)]
pub struct DataDirLock {
    _file: File,
}

impl DataDirLock {
    /// Takes the lock, or says that another process holds it.
    pub fn acquire(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(CoreError::AlreadyRunning {
                    dir: dir.display().to_string(),
                })
            }
            Err(TryLockError::Error(e)) => return Err(e.into()),
        }
        // For a person wondering who holds it; the lock, not the text, is what counts.
        file.set_len(0)?;
        writeln!(file, "{}", std::process::id())?;
        Ok(Self { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = DataDirLock::acquire(dir.path()).unwrap();
        let second = DataDirLock::acquire(dir.path()).unwrap_err();
        assert_eq!(second.code(), "already_running");
        drop(first);
        DataDirLock::acquire(dir.path()).expect("free again");
    }

    #[test]
    fn another_folder_is_another_lock() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let _first = DataDirLock::acquire(a.path()).unwrap();
        DataDirLock::acquire(b.path()).expect("independent");
    }
}
