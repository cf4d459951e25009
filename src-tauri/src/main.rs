// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// mimalloc for Rust's allocations, and for SQLite's through `sqlite_memory::use_mimalloc`:
// with glibc's malloc they were a fifth of a history load's time. GTK and WebKit keep glibc's
// (mimalloc in their place cost the window about 48 MB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // SAFETY: the first thing in `main`: no other thread exists yet to use SQLite.
    let routed = unsafe { switchboard_core::store::sqlite_memory::use_mimalloc() };
    debug_assert!(routed, "SQLite started before main");
    switchboard_app::run();
}
