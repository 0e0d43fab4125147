"""The yardstick for benchmarks/speed.py: a bare FastAPI app doing the least each request must do.

Run by speed.py with the same uvicorn settings as `optionsmatrix serve`
(`uvicorn benchmarks.bare_app:app`, one worker, uvicorn's defaults otherwise):

- `POST /api/v1/analyze` parses the body into the very `AnalyzeRequest`
  model ours uses, and answers a constant;
- `GET /page/{name}` renders a Jinja template that produces exactly as many
  bytes as our page of that name did. speed.py measures our pages first and
  passes their sizes in `BARE_PAGE_SIZES` ("home=12345,matrix=67890,…").

So "ours ÷ bare" is the share of the bare minimum's throughput we reach.
"""

from __future__ import annotations

import os

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from optionsmatrix.schemas.analysis import AnalyzeRequest

# One table row of fixed length: escaped variables and a loop, as a real page has.
ROW = '<tr><td class="name">{{ row.name }}</td><td class="value">{{ row.value }}</td></tr>\n'
TEMPLATE = "{% for row in rows %}" + ROW + "{% endfor %}{{ pad }}"
SAMPLE = {"name": "Option & criterion", "value": "3.14159"}

environment = Environment(autoescape=True, auto_reload=False)
template = environment.from_string(TEMPLATE)
ROW_BYTES = len(template.render(rows=[SAMPLE], pad="").encode())


def _sizes() -> dict[str, int]:
    sizes = {}
    for part in filter(None, os.environ.get("BARE_PAGE_SIZES", "").split(",")):
        name, _, size = part.partition("=")
        sizes[name] = int(size)
    return sizes


def _context(size: int) -> dict[str, object]:
    count = size // ROW_BYTES
    return {"rows": [dict(SAMPLE) for _ in range(count)], "pad": "x" * (size - count * ROW_BYTES)}


PAGES = {name: _context(size) for name, size in _sizes().items()}

app = FastAPI()


@app.post("/api/v1/analyze")
def analyze(body: AnalyzeRequest) -> dict[str, bool]:  # noqa: ARG001 - parsing the body is the work
    return {"ok": True}


@app.get("/page/{name}", response_class=HTMLResponse)
def page(name: str) -> HTMLResponse:
    return HTMLResponse(template.render(**PAGES[name]))


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
