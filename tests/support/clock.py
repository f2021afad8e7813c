"""The moment every test build takes as "now", so what depends on the clock (scheduled and
expired articles, the news sitemap's two days) comes out the same on every run."""

from __future__ import annotations

from datetime import UTC, datetime

NOW = datetime(2026, 1, 1, tzinfo=UTC)
