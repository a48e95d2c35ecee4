// Shared by the reader targets: the readers take paths, so each input is written to one file per
// process (in memory where /dev/shm exists) and read to its end as the gate would read it.

use std::path::PathBuf;

/// Writes `data` to this process's file named `name` and reads it through `synthgate::source`,
/// chunk by chunk (small chunks, so chunk edges are exercised too). Errors are fine; panics are not.
pub fn read_all(name: &str, data: &[u8]) {
    let path = scratch_dir().join(name);
    std::fs::write(&path, data).expect("write the fuzz input");
    for keep_raw in [true, false] {
        let opened =
            if keep_raw { synthgate::source::open(&path, 3) } else { synthgate::source::open_values(&path, 3) };
        let Ok(mut source) = opened else { continue };
        let mut raw = 0usize;
        loop {
            match source.next_chunk() {
                Ok(Some(chunk)) => raw += chunk.raw.len(),
                Ok(None) | Err(_) => break,
            }
        }
        let _ = (source.columns().len(), source.names_as_read().len(), source.bytes_read(), raw);
    }
}

fn scratch_dir() -> PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let dir = base.join(format!("synthgate-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create the fuzz scratch folder");
    dir
}
