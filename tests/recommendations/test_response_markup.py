"""The statutory response's safe markup: what the page shows and the DOCX holds come from one tree."""

from recommendations import response_markup


def test_lists_quotes_emphasis_and_links_are_kept():
    html = str(
        response_markup.to_html(
            "Intro *one*.\n\n- a\n- b\n\nThen:\n\n1. first\n\n> quoted **bold**\n\n[link](https://example.org)"
        )
    )
    for fragment in ["<em>one</em>", "<ul>", "<li>a</li>", "<ol>", "<blockquote>", "<strong>bold</strong>"]:
        assert fragment in html
    assert '<a href="https://example.org" rel="noopener noreferrer">link</a>' in html


def test_scripts_styles_and_javascript_links_are_removed():
    html = str(
        response_markup.to_html('<script>alert(1)</script><p style="x" onclick="y">t</p>[x](javascript:alert(1))')
    )
    assert "script" not in html and "alert" not in html
    assert "style" not in html and "onclick" not in html and "javascript" not in html


def test_blocks_are_the_same_text_as_the_html():
    blocks = response_markup.blocks("First *para*.\n\n- item one\n- item two\n\nThen:\n\n1. numbered\n\n> quoted text")
    assert [(b.kind, b.quoted, b.text) for b in blocks] == [
        ("paragraph", False, "First para."),
        ("bullet", False, "item one"),
        ("bullet", False, "item two"),
        ("paragraph", False, "Then:"),
        ("number", False, "numbered"),
        ("paragraph", True, "quoted text"),
    ]
    assert [run.italic for run in blocks[0].runs] == [False, True, False]
