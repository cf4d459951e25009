//! SQLite's allocations go to mimalloc when routed before SQLite starts, and not after. One
//! test: the routing is for the whole process, and SQLite starts once.

use libsqlite3_sys as ffi;
use switchboard_core::store::{sqlite_memory, Store};

#[tokio::test]
async fn sqlite_allocates_from_mimalloc_when_routed_before_it_starts() {
    // SAFETY: the only test in this binary, so no other thread uses SQLite.
    assert!(
        unsafe { sqlite_memory::use_mimalloc() },
        "SQLite had not started yet"
    );

    // SAFETY: blocks come from sqlite3_malloc/realloc and go back to sqlite3_free.
    unsafe {
        let p = ffi::sqlite3_malloc(4096).cast::<u8>();
        assert!(!p.is_null());
        assert!(
            libmimalloc_sys::mi_is_in_heap_region(p.cast()),
            "mimalloc's block"
        );
        std::ptr::write_bytes(p, 0xAB, 4096);
        let q = ffi::sqlite3_realloc(p.cast(), 1 << 20).cast::<u8>();
        assert!(!q.is_null());
        assert!(libmimalloc_sys::mi_is_in_heap_region(q.cast()));
        assert!(
            ffi::sqlite3_msize(q.cast()) >= 1 << 20,
            "SQLite sees the size"
        );
        assert_eq!(*q.add(4095), 0xAB, "realloc kept the contents");
        ffi::sqlite3_free(q.cast());
    }

    // A real store on top of it: migrations, the full-text index, a megabyte value.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    let (len,): (i64,) = sqlx::query_as("SELECT length(randomblob(1000000))")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(len, 1_000_000);
    // SAFETY: a read of SQLite's counters.
    let counted = unsafe { ffi::sqlite3_memory_used() };
    assert_eq!(counted, 0, "memory statistics are off");
    store.close().await;

    // SAFETY: the store is closed; nothing else in this binary uses SQLite.
    assert!(
        !unsafe { sqlite_memory::use_mimalloc() },
        "too late once SQLite runs"
    );
}
