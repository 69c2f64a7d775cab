"""Invoice document readers: safe XML, UBL 2.1, CII D16B, Factur-X PDF, plain PDF, ZIP batches.

:func:`vigie.platform.documents.read.read_documents` is the entry point: bytes in, one
result per document out (a ZIP gives one per entry).
"""
