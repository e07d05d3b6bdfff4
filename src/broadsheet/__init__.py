"""broadsheet: typeset newsletters written in YAML and Markdown into linked PDFs.

The stages live in their own modules (load, validate, render, typeset, finish,
verify) and `pipeline` wires them together; `cli` is a thin shell over it.
"""

__version__ = "0.1.0"
