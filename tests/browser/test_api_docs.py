"""Journey (API client): the interactive docs at /docs render offline, under the strict CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_api_docs_render_every_operation_from_vendored_swagger_ui(page):
    page.goto("/docs")

    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/matrices/{matrix_id}/copy")).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/tokens").first).to_be_visible()
