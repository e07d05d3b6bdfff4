"""`broadsheet mail`: one built issue to every subscriber, once each.

    subscribers.csv -> subscribers.py (checked addresses)
    issue + PDF     -> message.py (one message per subscriber, signed by signing.py)
    messages        -> send.py (dry run to .eml files, or transport.py over SMTP)
                       with journal.py recording each subscriber's state

transport.py is the only module that opens a socket; safety.py refuses any
text that could add a header before a message is made.
"""
