"""PDF documents (reportlab + qrcode). Imports core, never Qt.

For the window and the command line: `minqing.printing.documents` (the DOCUMENTS registry
and its print_* functions over the open database). Each document module also has a
`render_*` function over plain dataclasses, used by tests and benchmarks.
"""
