"""Converters: the page furniture of PDFs and web pages left out, Word's structure kept."""

import io

from transfer.converters import docx_blocks, html_blocks, pdf_blocks


def test_a_pdf_loses_running_headers_footers_and_page_numbers_and_joins_broken_words():
    from weasyprint import HTML

    items = "".join(
        f"<li>Principle {n} asks caseworkers to use extraordinarily comprehensive "
        "family-centred assessments every time.</li>"
        for n in range(1, 40)
    )
    page = (
        "<html lang='en'><head><style>@page { size: A6; margin: 2cm 1cm;"
        " @top-center { content: 'Harbor Falls Manual'; font-size: 7pt }"
        " @bottom-center { content: 'Page ' counter(page) ' of ' counter(pages); font-size: 7pt } }"
        " body { font-size: 9pt; hyphens: auto } h1 { font-size: 16pt }</style></head>"
        f"<body><h1>Practice Principles</h1><ol>{items}</ol></body></html>"
    )
    converted = pdf_blocks(HTML(string=page).write_pdf())
    texts = [block.text for block in converted.blocks]
    assert converted.title == "Practice Principles"
    assert len([b for b in converted.blocks if b.type == "item"]) == 39
    assert not any("Harbor Falls" in text or "Page " in text for text in texts)
    assert "Harbor Falls Manual" in converted.margins
    sentence = (
        "Principle 7 asks caseworkers to use extraordinarily comprehensive family-centred "
        "assessments every time."
    )
    assert sentence in texts
    assert converted.blocks[7].label == "7."


def test_a_web_page_keeps_its_main_content_only():
    page = (
        "<html><head><title>Values | County</title></head><body>"
        "<header><nav><a href='/'>Home</a></nav></header>"
        "<div class='breadcrumbs'>Home &gt; About</div>"
        "<main><h1>Values</h1><ol start='3'><li>Third.<ul><li>Nested.</li></ul></li></ol></main>"
        "<aside>Related links</aside><footer><p>Policy No. 7</p></footer></body></html>"
    )
    converted = html_blocks(page)
    assert [(b.type, b.level, b.label, b.text) for b in converted.blocks] == [
        ("heading", 1, "", "Values"),
        ("item", 0, "3.", "Third."),
        ("item", 1, "", "Nested."),
    ]
    assert converted.margins == ["Policy No. 7"]


def test_word_heading_styles_list_numbering_and_bold_names():
    from docx import Document

    word = Document()
    word.add_heading("Our Model", level=1)
    word.add_heading("Values", level=2)
    for name in ("Respect", "Hope"):
        paragraph = word.add_paragraph(style="List Number")
        paragraph.add_run(f"{name}:").bold = True
        paragraph.add_run(" We mean it.")
    word.add_paragraph("Closing words.", style="List Bullet")
    out = io.BytesIO()
    word.save(out)
    converted = docx_blocks(out.getvalue())
    assert [(b.type, b.level, b.label, b.lead, b.text) for b in converted.blocks] == [
        ("heading", 1, "", "", "Our Model"),
        ("heading", 2, "", "", "Values"),
        ("item", 0, "1.", "Respect:", "Respect: We mean it."),
        ("item", 0, "2.", "Hope:", "Hope: We mean it."),
        ("item", 0, "", "", "Closing words."),
    ]
    assert converted.title == "Our Model"
