"""Writing output files so that a failure never leaves half of one.

Each file goes to a temporary file beside its target, is flushed to disk,
and only then renamed over the target: a failed or interrupted build never
leaves a partial PDF and never replaces a good one.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from broadsheet.errors import BroadsheetError, OutputError, UsageError, error

# A write that fails because of the path itself (too long, a file where a
# folder should be, no permission, a read-only file system) is the command
# line's fault, or the project's: a usage error. A full or failing disk is
# the machine's, reported as a failure of its own (exit status 3).
_PATH_ERRNOS = {
    errno.ENAMETOOLONG, errno.ENOTDIR, errno.EISDIR, errno.EACCES, errno.EPERM,
    errno.EROFS, errno.ELOOP, errno.EEXIST, errno.EINVAL, errno.ENOENT,
}  # fmt: skip


def cannot_write(path: Path, exc: OSError, what: str = "cannot write") -> BroadsheetError:
    message = [error(None, f"{what} {path}: {exc.strerror}")]
    return UsageError(message) if exc.errno in _PATH_ERRNOS else OutputError(message)


def require_writable(folder: Path) -> None:
    """Fail before any rendering work when the output folder cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(folder, exc, "cannot create") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UsageError([error(None, f"cannot write to {folder}: permission denied")])


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over `path`.

    The file gets the permissions any new file would (0666 less the umask),
    not the 0600 of a temporary file: a PDF is made to be shared.
    """
    write_together([(path, data)])


def write_together(files: list[tuple[Path, bytes]]) -> None:
    """Write several files atomically, all or none: each to a temporary file
    beside it, flushed to disk, and only when every one is ready are they
    renamed over their targets, in order. A build's HTML and depfile are
    thus never replaced when its PDF cannot be written."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            staged.append((_staged(path, data), path))
        for temporary, path in staged:
            try:
                os.replace(temporary, path)
            except OSError as exc:
                raise cannot_write(path, exc) from None
    finally:
        for temporary, _ in staged:
            Path(temporary).unlink(missing_ok=True)


def _staged(path: Path, data: bytes) -> str:
    """`data` in a temporary file beside `path`, on disk; its name."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o666 & ~_umask())
            os.fsync(handle.fileno())
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise cannot_write(path, exc) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it
    os.umask(mask)
    return mask
