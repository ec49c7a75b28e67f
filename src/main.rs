//! The `creeplint` binary: everything it does is in the library's [`creeplint::app`],
//! so that it stays testable and this file stays thin.

/// musl's own allocator is slow for a run's many small blocks (see `Cargo.toml`).
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// glibc's allocator works harder as the heap grows: on x86-64 Linux the binary uses
/// jemalloc too, set at build time to return freed pages at once (see `Cargo.toml` and
/// `.cargo/config.toml`).
#[cfg(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    creeplint::app::main()
}
