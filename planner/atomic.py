"""Writing outputs so that nothing is ever half-written: temporary file or folder, then rename.

Every writer of the project goes through these functions. Files get the permissions of an
ordinary file under the process umask (mkstemp alone would make them private). Contents are
fsynced before the rename and the folder after it, so a crash or power loss leaves the old
output or the new one, never an empty or truncated file.

Temporary names carry the writer's process id (`.NAME.rotation-tmp.PID.XXXX`): a later run
removes the leftovers of runs that were killed (their process is gone) and leaves those of a
run still going alone. Deciding *whether* a path may be replaced is `planner.outputs`' job.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

TEMP_TAG = ".rotation-tmp."
OLD_TAG = ".rotation-old."


def is_temporary(name: str) -> bool:
    """A writer's temporary or retired entry (never carried into a new folder)."""
    return TEMP_TAG in name or OLD_TAG in name


def current_umask() -> int:
    """The process umask (read by setting it and restoring it at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _prefix(name: str, tag: str = TEMP_TAG) -> str:
    return f".{name}{tag}{os.getpid()}."


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def clean_leftovers(target: Path) -> list[Path]:
    """Remove temporaries of `target` left by killed runs (dead writer pid); return them."""
    removed: list[Path] = []
    parent = target.parent
    if not parent.is_dir():
        return removed
    for tag in (TEMP_TAG, OLD_TAG):
        head = f".{target.name}{tag}"
        for entry in parent.iterdir():
            if not entry.name.startswith(head):
                continue
            pid_text = entry.name[len(head):].split(".", 1)[0]
            if not pid_text.isdigit() or _pid_alive(int(pid_text)):
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def fsync_path(path: Path) -> None:
    """Flush a file's or a folder's contents to disk (folders: best effort)."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems cannot fsync a folder
            os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for root, dirs, files in os.walk(folder):
        for name in files:
            fsync_path(Path(root) / name)
        for name in dirs:
            fsync_path(Path(root) / name)
    fsync_path(folder)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _temp_file(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(path)
    fd, tmp_name = tempfile.mkstemp(prefix=_prefix(path.name), suffix=path.suffix,
                                    dir=path.parent)
    os.close(fd)
    return Path(tmp_name)


def write_file(path: Path, fill: Callable[[Path], object]) -> None:
    """Let `fill` write a temporary file beside `path`, then rename it into place."""
    write_files({path: fill})


def write_files(fills: Mapping[Path, Callable[[Path], object]]) -> None:
    """Several files that belong together (a report's page and workbook): every one is
    written and flushed before the first rename, so a failure leaves all the old ones."""
    temps: dict[Path, Path] = {}
    try:
        for path, fill in fills.items():
            temp = temps[path] = _temp_file(path)
            fill(temp)
            os.chmod(temp, 0o666 & ~current_umask())
            fsync_path(temp)
        for path, temp in temps.items():
            os.replace(temp, path)
        for parent in {path.parent for path in temps}:
            fsync_path(parent)
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (no newline translation)."""
    write_file(path, lambda temp: temp.write_text(text, encoding="utf-8", newline=""))


def write_folder(out_dir: Path, fill: Callable[[Path], object]) -> None:
    """Let `fill` populate a fresh temporary folder, then swap it in for `out_dir`.

    On Linux the swap is one atomic exchange (renameat2 RENAME_EXCHANGE): at every instant
    `out_dir` is the old folder or the new one. Elsewhere it is two renames, between which
    the old folder sits beside it (`.NAME.rotation-old.PID.*`).
    """
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out_dir)
    staging = Path(tempfile.mkdtemp(prefix=_prefix(out_dir.name), dir=out_dir.parent))
    os.chmod(staging, 0o777 & ~current_umask())
    try:
        fill(staging)
        _fsync_tree(staging)
        if out_dir.exists() and _exchange(staging, out_dir):
            fsync_path(out_dir.parent)
            shutil.rmtree(staging, ignore_errors=True)  # now the old folder
        elif out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=_prefix(out_dir.name, OLD_TAG),
                                            dir=out_dir.parent))
            os.replace(out_dir, retired / out_dir.name)
            os.replace(staging, out_dir)
            fsync_path(out_dir.parent)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
            fsync_path(out_dir.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
