"""Server-rendered pages (Jinja2 + htmx). Handlers parse, call a service, render."""

from fastapi import APIRouter

from optionsmatrix.web import docs, matrix_edits, pages

router = APIRouter(include_in_schema=False)
for module in (pages, matrix_edits, docs):
    router.include_router(module.router)
