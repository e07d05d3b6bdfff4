"""`broadsheet mail`: one built issue to every subscriber, once each.

    command.py      the subcommand: options, the question, progress, summary
    subscribers.py  subscribers.csv -> checked addresses
    prepare.py      the PDF (built when stale), the shared letter, every refusal
    cover.py        the newsletter email's context: masthead, issue line, links,
                    with teaser.py (each story's deck and page, from the PDF's
                    bookmarks) and palette.py (the theme's colours, light and dark)
    message.py      one message per subscriber (signed by signing.py)
    send.py         a dry run to .eml files, or the send, with journal.py
                    recording each subscriber's state
    transport.py    the SMTP conversation

transport.py is the only module that opens a socket; safety.py refuses any
text that could add a header before a message is made.
"""
