"""Smart punctuation on rendered HTML, outside code and attributes."""

from __future__ import annotations

import pytest

from generator.content.typography import smarten


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<p>He said "hello".</p>', "<p>He said &ldquo;hello&rdquo;.</p>"),
        ("<p>don't and 'single'</p>", "<p>don&rsquo;t and &lsquo;single&rsquo;</p>"),
        ("<p>the '90s</p>", "<p>the &rsquo;90s</p>"),
        ("<p>a -- b --- c...</p>", "<p>a &ndash; b &mdash; c&hellip;</p>"),
        ('<p>"<a href="/x--y/">link</a>"</p>', '<p>&ldquo;<a href="/x--y/">link</a>&rdquo;</p>'),
        ('<p><em>"em"</em></p>', "<p><em>&ldquo;em&rdquo;</em></p>"),
        ('<p>("paren")</p>', "<p>(&ldquo;paren&rdquo;)</p>"),
    ],
)
def test_quotes_dashes_and_ellipses_become_typographic(html: str, expected: str):
    assert smarten(html) == expected


@pytest.mark.parametrize(
    "html",
    [
        "<p><code>print(\"a\" -- 'b')</code></p>",
        '<pre><code>x = "--"...\n</code></pre>',
        '<div class="highlight"><pre><span class="s2">"a"</span> -- </pre></div>',
        "<script>var a = 'x' -- 1;</script>",
    ],
)
def test_code_and_scripts_are_left_as_written(html: str):
    assert smarten(html) == html


def test_attributes_are_left_as_written():
    assert smarten('<img alt="a -- b" title="it\'s">') == '<img alt="a -- b" title="it\'s">'
