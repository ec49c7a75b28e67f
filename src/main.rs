//! The `creeplint` binary: everything it does is in the library's [`creeplint::app`],
//! so that it stays testable and this file stays thin.

/// musl's own allocator is slow for a run's many small blocks (see `Cargo.toml`).
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    creeplint::app::main()
}
