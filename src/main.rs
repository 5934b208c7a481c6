//! The `wemi` binary: parses the command line and hands over to the library.

// A build allocates many small, short-lived values on every thread; mimalloc's per-thread
// heaps make that much cheaper than the system allocator (see the README's "Speed").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    wemi::cli::run(std::env::args_os())
}
