//! Writing a file whole or not at all: the one writer behind [`OffsetsFile::write`] and the
//! command line's snapshot document.
//!
//! [`OffsetsFile::write`]: crate::OffsetsFile::write

use std::fs;
use std::io::{self, Write as _};
use std::path::Path;

/// Writes `content` to `path` atomically: the whole new content, or nothing.
///
/// The content goes to a temporary file in the same directory (`.NAME.XXXXXX.tmp`), which is
/// flushed to disk and then renamed over `path`; the directory is then flushed too, so that the
/// rename survives a crash. A reader never sees a partial file, and a write that fails (or is
/// interrupted) leaves any existing file at `path` as it was and no temporary file behind.
///
/// A file that already exists keeps its permissions; a new one gets those
/// [`std::fs::File::create`] would give it (0666 less the umask), not the owner-only mode of a
/// temporary file. A symbolic link at `path` is replaced, not followed. A path that is not a
/// regular file, such as `/dev/null`, `/dev/stdout` or a named pipe, is written to directly
/// instead: renaming over it would replace the device or the pipe itself.
///
/// ```
/// # let dir = tempfile::tempdir()?;
/// # let path = dir.path().join("snapshot.json");
/// confluent_connect::write_atomically(&path, b"{}\n")?;
/// assert_eq!(std::fs::read(&path)?, b"{}\n");
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_atomically(path: impl AsRef<Path>, content: &[u8]) -> io::Result<()> {
    let path = path.as_ref();
    if is_special_file(path) {
        let mut target = fs::OpenOptions::new().write(true).open(path)?;
        target.write_all(content)?;
        return target.flush();
    }
    let directory = directory_of(path);
    let name = path.file_name().unwrap_or(path.as_os_str());
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // The default, owner-only mode suits secrets; these files are not, and a new file should
    // get the mode any other new file gets (0666 less the umask).
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    // Dropping `temp` on any early return below deletes the temporary file.
    let mut temp = builder.tempfile_in(directory)?;
    if let Ok(existing) = fs::metadata(path)
        && existing.is_file()
    {
        temp.as_file().set_permissions(existing.permissions())?;
    }
    temp.write_all(content)?;
    temp.flush()?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|error| error.error)?;
    // Make the rename itself durable. Best effort: the new file is in place whatever happens.
    #[cfg(unix)]
    if let Ok(directory) = fs::File::open(directory) {
        let _ = directory.sync_all();
    }
    Ok(())
}

/// The directory a file at `path` is in: `.` for a bare file name, whose parent is empty.
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Whether `path` (followed through symbolic links) is something other than a regular file or
/// a directory: a device such as `/dev/null` or `/dev/stdout`'s target, a named pipe, a socket.
/// Such a path is written to, never renamed over: a rename would replace the device itself
/// (for root, `/dev/null` would become a regular file) and nobody reading the pipe would get
/// the content.
fn is_special_file(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|target| !target.is_file() && !target.is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_file_name_is_in_the_current_directory() {
        assert_eq!(directory_of(Path::new("offsets.json")), Path::new("."));
        assert_eq!(
            directory_of(Path::new("out/offsets.json")),
            Path::new("out")
        );
        assert_eq!(directory_of(Path::new("/offsets.json")), Path::new("/"));
    }

    #[test]
    fn a_write_into_a_missing_directory_fails_and_creates_nothing() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("missing").join("offsets.json");
        let error = write_atomically(&path, b"{}").unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert_eq!(fs::read_dir(directory.path()).unwrap().count(), 0);
    }
}
