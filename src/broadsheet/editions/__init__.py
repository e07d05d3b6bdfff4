"""The editions read back into one record each, and compared with the issue.

The PDF, the web page and the plain text are each made from the validated
Issue by their own code. Parity proves they agree: every edition is read
back (record.py's `Record`: the stories in order, each with its title,
headings, picture descriptions, links and language) and compared with the
record derived from the Issue itself, the one source (parity.py). A
mismatch names the story, at its line in the YAML, and the edition.

    record.py       Record and Story; `expected(issue)`: the record of the source
    text_reader.py  the plain-text edition (html/text.py) read back
    web_reader.py   the web edition's HTML read back, by its markup contract
    pdf_reader.py   the PDF read back: outline, link annotations, /Lang, /Alt
    parity.py       one record compared with the source's: the findings
"""
