"""A statutory response is written in the snapshot's markup (markup.py): what its page shows and what
its DOCX holds come from one sanitised tree."""

from recommendations import markup


def test_lists_quotes_emphasis_and_links_are_kept():
    html = markup.to_html(
        "Intro *one*.\n\n- a\n- b\n\nThen:\n\n1. first\n\n> quoted **bold**\n\n[link](https://example.org)"
    )
    for fragment in ["<em>one</em>", "<ul>", "<li>a</li>", "<ol>", "<blockquote>", "<strong>bold</strong>"]:
        assert fragment in html
    assert '<a href="https://example.org">link</a>' in html


def test_scripts_styles_and_javascript_links_are_removed():
    html = markup.to_html('<script>alert(1)</script><p style="x" onclick="y">t</p>[x](javascript:alert(1))')
    assert "script" not in html and "alert" not in html
    assert "style" not in html and "onclick" not in html and "javascript" not in html


def test_blocks_are_the_same_text_as_the_html():
    blocks = markup.to_blocks("First *para*.\n\n- item one\n- item two\n\nThen:\n\n1. numbered\n\n> quoted text")
    assert [
        (block.kind, getattr(block, "quoted", False), getattr(block, "texts", None) or block.text) for block in blocks
    ] == [
        ("paragraph", False, "First para."),
        ("list", False, ["item one", "item two"]),
        ("paragraph", False, "Then:"),
        ("list", False, ["numbered"]),
        ("paragraph", True, "quoted text"),
    ]
    assert [run.italic for run in blocks[0].runs] == [False, True, False]


def test_a_character_that_would_reorder_the_text_is_shown_as_its_marker():
    assert markup.to_html("Policy \u202epublished") == "<p>Policy [RLO U+202E]published</p>"
