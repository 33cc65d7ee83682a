"""PDF documents (reportlab + qrcode). Imports core, never Qt.

For the window and the command line: `minqing.printing.documents` (DOCUMENTS registry and
print_cards / print_receipt / print_notice / print_register / print_flowchart over the open
database). Each document module (cards, receipt, notice, register, flowchart) also has a
`render_*` function over plain dataclasses, used by tests and benchmarks.
"""
