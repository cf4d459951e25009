//! The TypeScript bindings in `ui/src/lib/ipc/bindings/` must equal what ts-rs generates from the
//! wire types. Run `make bindings` (UPDATE_BINDINGS=1) to regenerate after changing `wire.rs`.

use std::path::Path;

#[test]
fn generated_typescript_matches_the_wire_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/ipc/bindings");
    let update = std::env::var_os("UPDATE_BINDINGS").is_some();
    let stale = switchboard_app::wire::sync_bindings(&dir, !update).expect("bindings readable");
    if !update {
        assert!(
            stale.is_empty(),
            "bindings out of date: {stale:?}; run `make bindings` and commit the result"
        );
    }
}
