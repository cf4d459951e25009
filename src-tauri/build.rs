fn main() {
    // libwebkit2gtk calls the system's libsqlite3. An executable that defines the same symbols
    // (our bundled SQLite) exports them, and the dynamic linker then binds WebKit's calls to our
    // copy, with our allocator and build options. Symbols from static archives stay ours.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,--exclude-libs,ALL");
    }
    tauri_build::build()
}
