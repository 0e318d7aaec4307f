"""Writes behind import and export, one module per format.

documents (a parsed text saved as a draft), content (everything as JSON, and loading it back),
statements_csv (statements as CSV for spreadsheets). Import from the module: this package
re-exports nothing.
"""
