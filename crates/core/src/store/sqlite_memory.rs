//! SQLite's own allocations, sent to mimalloc like the binaries' Rust allocations. With glibc's
//! malloc, a history load at a million messages spent a fifth of its time in malloc and free
//! (much of it SQLite's page cache and bound values), and SQLite's memory statistics took a
//! global lock on every call.

use std::ffi::{c_int, c_void};

use libsqlite3_sys as ffi;

/// Routes SQLite's allocations to mimalloc and turns its memory statistics off (nothing reads
/// them). SQLite takes both only before it first initializes, so a binary calls this at the
/// start of `main`; `false` means it was too late and SQLite keeps its own allocator.
///
/// # Safety
///
/// No other thread may use SQLite during the call: `sqlite3_config` is not thread-safe. At the
/// start of `main`, before any thread is spawned, nothing else can.
pub unsafe fn use_mimalloc() -> bool {
    let methods = ffi::sqlite3_mem_methods {
        xMalloc: Some(malloc),
        xFree: Some(free),
        xRealloc: Some(realloc),
        xSize: Some(size),
        xRoundup: Some(roundup),
        xInit: Some(init),
        xShutdown: Some(shutdown),
        pAppData: std::ptr::null_mut(),
    };
    // SAFETY: no other thread uses SQLite meanwhile (the caller's promise). SQLite copies
    // `methods` before returning, and every function in it keeps SQLite's contract (8-byte
    // aligned blocks, `realloc` and `size` of blocks it returned). Once SQLite is running, both
    // calls are refused with SQLITE_MISUSE and change nothing.
    unsafe {
        ffi::sqlite3_config(ffi::SQLITE_CONFIG_MALLOC, &raw const methods) == ffi::SQLITE_OK
            && ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int) == ffi::SQLITE_OK
    }
}

/// SQLite asks for sizes as `int`; a negative one (never asked) gets nothing.
fn bytes(n: c_int) -> usize {
    usize::try_from(n).unwrap_or(0)
}

fn clamp(n: usize) -> c_int {
    c_int::try_from(n).unwrap_or(c_int::MAX)
}

unsafe extern "C" fn malloc(n: c_int) -> *mut c_void {
    // SAFETY: any size may be asked of mimalloc; it answers null when out of memory, as SQLite
    // expects.
    unsafe { libmimalloc_sys::mi_malloc(bytes(n)) }
}

unsafe extern "C" fn free(p: *mut c_void) {
    // SAFETY: SQLite frees only blocks `malloc` or `realloc` gave it.
    unsafe { libmimalloc_sys::mi_free(p) }
}

unsafe extern "C" fn realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    // SAFETY: as for `free`.
    unsafe { libmimalloc_sys::mi_realloc(p, bytes(n)) }
}

unsafe extern "C" fn size(p: *mut c_void) -> c_int {
    // SAFETY: as for `free`.
    clamp(unsafe { libmimalloc_sys::mi_usable_size(p) })
}

unsafe extern "C" fn roundup(n: c_int) -> c_int {
    // SAFETY: a pure function of the size.
    clamp(unsafe { libmimalloc_sys::mi_good_size(bytes(n)) })
}

unsafe extern "C" fn init(_: *mut c_void) -> c_int {
    ffi::SQLITE_OK
}

unsafe extern "C" fn shutdown(_: *mut c_void) {}
