"""Headless Chromium driven through the DevTools protocol over a pipe (`--remote-debugging-
pipe`: JSON messages ending in NUL on file descriptors 3 and 4), with no client library:
open a page with or without its JavaScript, evaluate expressions in it (the protocol's own
evaluation works when the page's scripts are disabled), read layout and timings."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Page:
    def __init__(self, profile: Path, width: int = 1280, height: int = 900):
        assert CHROMIUM is not None
        commands_read, self._commands = os.pipe()
        self._replies, replies_write = os.pipe()

        def as_fds_3_and_4() -> None:  # in the child, before exec
            import fcntl

            # through fds above 9 first: either pipe end may itself be 3 or 4
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, replies_write)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self._process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--hide-scrollbars", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", f"--window-size={width},{height}"],
            pass_fds=(3, 4), preexec_fn=as_fds_3_and_4, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(commands_read)
        os.close(replies_write)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget",
                                   {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def _send(self, message: dict[str, Any]) -> None:
        os.write(self._commands, json.dumps(message).encode() + b"\0")

    def _receive(self, timeout: float) -> dict[str, Any]:
        import select

        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _w, _x = select.select([self._replies], [], [], max(0.0, left))
            if not ready:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._replies, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def _call(self, method: str, params: dict[str, Any] | None = None,
              session: str | None = None, timeout: float = 120) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method,
                                   "params": params or {}}
        if session:
            message["sessionId"] = session
        self._send(message)
        while True:
            reply = self._receive(timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result") or {})
            self.events.append(reply)

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._call(method, params, self._session)

    def open(self, url: str, javascript: bool = True, timeout: float = 120) -> float:
        """Load `url`; the seconds until its load event."""
        self.call("Emulation.setScriptExecutionDisabled", {"value": not javascript})
        self.events.clear()
        started = time.perf_counter()
        self.call("Page.navigate", {"url": url})
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._receive(timeout))
        return time.perf_counter() - started

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression,
                                                "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self._call("Browser.close", timeout=10)
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._commands)
        os.close(self._replies)

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


#: the moves table as the reader sees it: the rows shown, top to bottom
VISIBLE_ROWS = """
(() => {
  const rows = [...document.querySelectorAll('#moves-table tr.m')]
    .map(tr => ({n: +tr.dataset.n, round: +tr.dataset.round, form: tr.dataset.form,
                 cell: tr.cells[0], name: tr.cells[1] ? tr.cells[1].textContent : ''}))
    .filter(r => r.cell.getClientRects().length > 0);
  const heads = [...document.querySelectorAll('#moves-table thead th')]
    .map(th => th.getBoundingClientRect().left);
  rows.forEach(r => {
    const cells = [...r.cell.parentElement.cells].map(td => td.getBoundingClientRect());
    r.top = cells[0].top;
    // laid out as a table row: every cell on the row's line, under its column's header
    r.aligned = cells.every((c, i) => Math.abs(c.top - r.top) < 1
                                      && Math.abs(c.left - heads[i]) < 1);
    delete r.cell;
  });
  rows.sort((a, b) => a.top - b.top);
  return rows;
})()
"""


def click_label(page: Page, target: str) -> None:
    """Click the <label for=target> of a no-script control (a filter or sort radio)."""
    page.evaluate(f"document.querySelector(\"label[for='{target}']\").click()")


def sort_by_round(page: Page) -> tuple[list[dict[str, Any]], float]:
    """Sort the moves table by round without script: the rows then shown, and the seconds
    from the click to reading them back."""
    started = time.perf_counter()
    click_label(page, "fs-round")
    rows = page.evaluate(VISIBLE_ROWS)
    return rows, time.perf_counter() - started


def print_to_pdf(page: Page, pages: str = "") -> bytes:
    """The open page printed as Chromium prints it (its own @page size and margin boxes,
    no browser header or footer), or only the `pages` given ("1-3"): the PDF's bytes."""
    import base64

    printed = page.call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True,
                                            "displayHeaderFooter": False, "pageRanges": pages})
    return base64.b64decode(printed["data"])


def pdf_pages(data: bytes) -> list[dict[str, Any]]:
    """Each printed page: its size in points, its text, and where each run of text starts
    (x, y in points from the bottom-left corner), read back with pypdf."""
    import io

    from pypdf import PdfReader

    pages = []
    for sheet in PdfReader(io.BytesIO(data)).pages:
        runs: list[tuple[float, float, str]] = []

        def visit(text: str, cm: list[float], tm: list[float], _font: Any, _size: Any,
                  runs: list[tuple[float, float, str]] = runs) -> None:
            if text.strip():  # the text matrix's origin, through the page's transformation
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                runs.append((x, y, text.strip()))

        text = sheet.extract_text(visitor_text=visit)
        pages.append({"width": float(sheet.mediabox.width),
                      "height": float(sheet.mediabox.height), "text": text, "runs": runs})
    return pages
