"""Writing outputs so that nothing is ever half-written: temporary file or folder, then rename.

Every writer of the project goes through these three functions. Files get the permissions
of an ordinary file under the process umask (mkstemp alone would make them private).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def current_umask() -> int:
    """The process umask (read by setting it and restoring it at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_file(path: Path, fill: Callable[[Path], object]) -> None:
    """Let `fill` write a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix,
                                    dir=path.parent)
    os.close(fd)
    temp = Path(tmp_name)
    try:
        fill(temp)
        os.chmod(temp, 0o666 & ~current_umask())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (no newline translation)."""
    write_file(path, lambda temp: temp.write_text(text, encoding="utf-8", newline=""))


def write_folder(out_dir: Path, fill: Callable[[Path], object]) -> None:
    """Let `fill` populate a fresh temporary folder, then swap it in for `out_dir`."""
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    os.chmod(staging, 0o777 & ~current_umask())
    try:
        fill(staging)
        if out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=out_dir.parent))
            os.replace(out_dir, retired / out_dir.name)
            os.replace(staging, out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
