"""The web interface's shell page and stylesheet, put together so a first visit waits on
as few round trips as possible.

Left to itself a page loads in steps: the page, then `app.js`, then the modules it imports,
then the screen's module and the modules that one imports, then each query's document, then
the query. Here the page names everything up front instead:

- `<link rel="modulepreload">` for `app.js` and every module it imports, found by reading the
  modules' `import … from './…'` lines, so they are all asked for at once;
- the ids of the GraphQL documents of `graphql/operations/`, inlined as JSON, so no query
  waits on a file: the page sends a document's id, not its text (see
  backend/api/persisted.py);
- for each route in `app.js` (`defineRoute('/path', './screens/x.js')`), the modules its
  screen needs; a small script inlined at the top of the page (`js/boot.js`, allowed by its
  hash in the Content-Security-Policy) preloads those of the route in the address and starts
  the Viewer query, side by side with `app.js`;
- `/styles.css` with its `@import`s written in, so the styles are one request, not two
  rounds.

Built on each request from the files as they are: nothing to go stale while developing, and
it costs a millisecond or two, once per visit.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from backend.operations import document_id

# Static imports and re-exports of our own modules: `import { a } from './b.js';`,
# `import './b.js';`, `export { a } from './b.js';`, over several lines too.
STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^'";]*?['"](\.{1,2}/[^'"]+\.js)['"]""", re.MULTILINE)
ROUTE = re.compile(r"""defineRoute\(\s*'([^']+)'\s*,\s*'(\./[^']+\.js)'\s*\)""")
STYLESHEET = '  <link rel="stylesheet" href="/styles.css">'
STYLE_IMPORT = re.compile(r"""^@import url\('(/styles/[\w.-]+\.css)'\);\s*$""", re.MULTILINE)


@dataclass(frozen=True)
class Frontend:
    root: Path
    operations: Path

    def module_closure(self, url: str) -> list[str]:
        """`url` and every module it imports, directly or not, as URLs under /js/."""
        seen: list[str] = []
        waiting = [url]
        while waiting:
            current = waiting.pop()
            if current in seen:
                continue
            seen.append(current)
            source = self._file(current)
            if source is None:
                continue
            folder = PurePosixPath(current).parent
            for found in STATIC_IMPORT.finditer(source):
                waiting.append(_normalised(folder / found.group(1)))
        return seen

    def routes(self) -> list[dict[str, object]]:
        """Each route of app.js, in its order, with the modules its screen needs beyond
        those the page preloads for app.js already."""
        source = self._file("/js/app.js") or ""
        shared = set(self.module_closure("/js/app.js"))
        return [
            {
                "pattern": pattern,
                "modules": [
                    url
                    for url in self.module_closure(_normalised(PurePosixPath("/js") / module))
                    if url not in shared
                ],
            }
            for pattern, module in ROUTE.findall(source)
        ]

    def document_ids(self) -> dict[str, str]:
        """Each operation's persisted document id (as backend/api/persisted.py gives it), from
        the files as they are now: in development an edited document gets its new id, which
        the server, having read the old one at start, does not know, so the page sends the
        text instead."""
        return {
            path.stem: document_id(path.read_bytes().decode())
            for path in sorted(self.operations.glob("*.graphql"))
        }

    def stylesheet(self) -> str:
        """styles.css with each of its `@import`s replaced by the sheet it names."""
        source = (self.root / "styles.css").read_text()
        return STYLE_IMPORT.sub(lambda found: self._file(found.group(1)) or found.group(0), source)

    def shell(self) -> tuple[str, str]:
        """The page, and the hash of its inline script for the Content-Security-Policy."""
        page = (self.root / "index.html").read_text()
        boot = (self.root / "js" / "boot.js").read_text()
        preloads = "".join(
            f'  <link rel="modulepreload" href="{url}">\n' for url in self.module_closure("/js/app.js")
        )
        head = (
            preloads
            + _json_block("rungs-document-ids", self.document_ids())
            + _json_block("rungs-routes", self.routes())
            + f"  <script>{boot}</script>\n"
        )
        digest = base64.b64encode(hashlib.sha256(boot.encode()).digest()).decode()
        # Ahead of the stylesheet: a script after one waits for it to load before it runs.
        return page.replace(STYLESHEET, head + STYLESHEET, 1), f"'sha256-{digest}'"

    def _file(self, url: str) -> str | None:
        path = (self.root / url.lstrip("/")).resolve()
        if not path.is_relative_to(self.root.resolve()) or not path.is_file():
            return None
        return path.read_text()


def _normalised(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/" + "/".join(parts[1:]) if parts and parts[0] == "/" else "/".join(parts)


def _json_block(element_id: str, value: object) -> str:
    # "</" would end the script element early; in JSON strings "<\/" reads the same.
    text = json.dumps(value, separators=(",", ":")).replace("</", "<\\/")
    return f'  <script type="application/json" id="{element_id}">{text}</script>\n'


Endpoint = Callable[[Request], Awaitable[Response]]
T = TypeVar("T")


def _kept(build: Callable[[], T], *, fresh: bool) -> Callable[[], T]:
    """`build`'s answer, worked out once and kept; or anew each time when `fresh`. Putting
    the page together reads every module and operation (some 30 ms, on the event loop), so
    production does it once; development does it on each request, so that an edited module
    or operation shows at the next reload."""
    if fresh:
        return build
    return functools.cache(build)


def shell_page(frontend: Frontend, policy: str, *, fresh: bool) -> Endpoint:
    """The page at `/`, under the site's Content-Security-Policy (`policy`) with its one inline
    script allowed by its hash."""
    shell = _kept(frontend.shell, fresh=fresh)

    async def page(request: Request) -> Response:
        html, script_hash = shell()
        with_script = policy + f"; script-src 'self' {script_hash}"
        return HTMLResponse(html, headers={"Content-Security-Policy": with_script})

    return page


def stylesheet(frontend: Frontend, *, fresh: bool) -> Endpoint:
    sheet = _kept(frontend.stylesheet, fresh=fresh)

    async def styles(request: Request) -> Response:
        return Response(sheet(), media_type="text/css")

    return styles
