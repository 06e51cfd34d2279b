"""This run's Data Docs: GX's site made readable offline, under a self-contained summary page."""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from pipelines.checks.audit import ResultRow

# GX's Data Docs pages load Bootstrap, jQuery, vega and a logo from CDNs. Offline those loads
# fail (and the dashboard's Content-Security-Policy blocks them), so they are removed, along with
# the scripts that need jQuery; the pages are server-rendered HTML and read fine without them.
_EXTERNAL_TAG = re.compile(
    r"<script\b.*?</script>|<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>"
    r"|<img\b[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>",
    re.IGNORECASE | re.DOTALL,
)
_EXTERNAL_CSS_URL = re.compile(r"url\(\s*['\"]?https?://[^)]*\)", re.IGNORECASE)
_UNUSED_STATIC = ("static/images",)  # 3.4 MB of walkthrough images the pages never show
_OFFLINE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:1rem 2rem;
color:#1b1b1b;line-height:1.4}
table{border-collapse:collapse;margin:.5rem 0}
th,td{border:1px solid #c8c8c8;padding:.25rem .5rem;text-align:left;vertical-align:top}
.text-danger{color:#b00020}.text-success{color:#1b5e20}
.carelens-banner{background:#eef3f8;border:1px solid #9fb4c9;padding:.5rem .75rem;
margin-bottom:1rem}
"""
_SUMMARY_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:1.5rem 2rem;
color:#1b1b1b;line-height:1.45;max-width:75rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #c8c8c8;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}
.fail{color:#b00020;font-weight:600}.pass{color:#1b5e20}
.status{padding:.6rem .9rem;border:2px solid #1b5e20;display:inline-block}
.status.blocked{border-color:#b00020}.status.warned{border-color:#8a5a00}
"""


def suite_pages(site_dir: Path) -> dict[str, str]:
    """Map each suite to its GX validation page, relative to the run's Data Docs folder."""
    pages: dict[str, str] = {}
    for page in sorted((site_dir / "gx" / "validations").glob("*/**/*.html")):
        suite = page.relative_to(site_dir / "gx" / "validations").parts[0]
        pages[suite] = page.relative_to(site_dir).as_posix()
    return pages


def publish_docs(*, site_dir: Path, run_dir: Path, summary: str) -> Path:
    """Make GX's pages readable offline, add the summary page and move the folder into place."""
    gx_dir = site_dir / "gx"
    for unused in _UNUSED_STATIC:
        shutil.rmtree(gx_dir / unused, ignore_errors=True)
    for page in gx_dir.rglob("*.html"):
        back = Path(*([".."] * (len(page.relative_to(site_dir).parts) - 1)), "index.html")
        banner = (
            '<div class="carelens-banner">Offline copy of the Great Expectations Data Docs.'
            f' <a href="{back.as_posix()}">Back to the run summary</a></div>'
        )
        text = _EXTERNAL_TAG.sub("", page.read_text(encoding="utf-8"))
        text = _EXTERNAL_CSS_URL.sub("none", text)
        text = text.replace("</head>", f"<style>{_OFFLINE_CSS}</style></head>", 1)
        page.write_text(re.sub(r"(<body[^>]*>)", rf"\1{banner}", text, count=1), encoding="utf-8")
    for sheet in gx_dir.rglob("*.css"):
        sheet.write_text(_EXTERNAL_CSS_URL.sub("none", sheet.read_text(encoding="utf-8")))
    # GX's own index is a table drawn by jQuery from a CDN: offline it is empty, so it sends
    # readers (and every page's "Home" link) to the summary instead.
    (gx_dir / "index.html").write_text(
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="0; url=../index.html"><title>Data Docs</title>'
        '</head><body><a href="../index.html">Run summary</a></body></html>',
        encoding="utf-8",
    )
    (site_dir / "index.html").write_text(summary, encoding="utf-8")
    shutil.rmtree(run_dir, ignore_errors=True)
    site_dir.rename(run_dir)
    return run_dir / "index.html"


def render_summary(
    *,
    run_id: str,
    run_started_at: datetime,
    rows: Sequence[ResultRow],
    blocking: Sequence[str],
    warnings: Sequence[str],
    suite_pages: Mapping[str, str],
) -> str:
    """A self-contained page (no scripts, no external assets) summarising every expectation."""
    esc = html.escape
    if blocking:
        status = ("blocked", f"Blocked: {len(blocking)} errors. This build is not published.")
    elif warnings:
        status = ("warned", f"Passed with {len(warnings)} warnings.")
    else:
        status = ("", "Passed: every check succeeded.")
    parts = [
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>Table checks, run {esc(run_id)}</title><style>{_SUMMARY_CSS}</style></head>",
        f"<body><main><h1>Table checks, run {esc(run_id)}</h1>",
        f"<p>Run started {esc(run_started_at.astimezone(UTC).strftime('%d %B %Y %H:%M UTC'))}.</p>",
        f'<p class="status {status[0]}">{esc(status[1])}</p>',
    ]
    for heading, lines in (("Errors (block publication)", blocking), ("Warnings", warnings)):
        if lines:
            items = "".join(f"<li>{esc(line)}</li>" for line in lines)
            parts.append(f"<h2>{heading}</h2><ul>{items}</ul>")
    for suite in dict.fromkeys(r.suite for r in rows):
        link = suite_pages.get(suite)
        parts.append(f"<h2>{esc(suite.replace('_', ' ').capitalize())}</h2>")
        if link:
            parts.append(f'<p><a href="{esc(link)}">Great Expectations validation result</a></p>')
        parts.append(
            '<table><thead><tr><th scope="col">Check</th><th scope="col">Target</th>'
            '<th scope="col">Severity</th><th scope="col">Result</th>'
            '<th scope="col">Observed</th></tr></thead><tbody>'
        )
        for r in (r for r in rows if r.suite == suite):
            result = (
                '<span class="pass">Pass</span>' if r.success else '<span class="fail">Fail</span>'
            )
            parts.append(
                f"<tr><td>{esc(r.description)}</td><td>{esc(r.target)}</td>"
                f"<td>{esc(r.severity)}</td><td>{result}</td><td>{esc(r.observed)}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts.append("</main></body></html>")
    return "".join(parts)
