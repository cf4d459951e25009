//! Logs to stderr and to a daily file in the app's log folder. Secrets never reach a log line:
//! the core's types redact them and no command logs its arguments.

use std::path::Path;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

/// Lines waiting for the log file's writer thread. The queue is allocated and written whole
/// when logging starts: tracing-appender's default of 128,000 lines held 4 MB of the idle app's
/// memory, while at the app's `info` level a start writes a few dozen lines. Past this many
/// waiting lines, new ones are dropped rather than stalling the thread that logs.
const LOG_QUEUE_LINES: usize = 8 * 1024;

/// Starts logging; keep the guard alive for the life of the app so the file gets flushed.
pub fn init(log_dir: &Path) -> Option<WorkerGuard> {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let (file_layer, guard) = match std::fs::create_dir_all(log_dir) {
        Ok(()) => {
            let appender = tracing_appender::rolling::daily(log_dir, "switchboard.log");
            let (writer, guard) = NonBlockingBuilder::default()
                .buffered_lines_limit(LOG_QUEUE_LINES)
                .finish(appender);
            (
                Some(fmt::layer().with_ansi(false).with_writer(writer)),
                Some(guard),
            )
        }
        Err(e) => {
            eprintln!(
                "switchboard: cannot write logs to {}: {e}",
                log_dir.display()
            );
            (None, None)
        }
    };
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr))
        .with(file_layer)
        .try_init();
    guard
}
