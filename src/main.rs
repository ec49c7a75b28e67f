//! The `creeplint` binary: everything it does is in the library's [`creeplint::app`],
//! so that it stays testable and this file stays thin.

fn main() -> std::process::ExitCode {
    creeplint::app::main()
}
