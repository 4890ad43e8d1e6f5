"""Official documents: DOCX in the administrative layout of Nghị định 30/2020/NĐ-CP (national
title, Times New Roman, A4 margins) and PDF converted from that DOCX by LibreOffice, so that
the PDF is exactly the document a person would print from Word."""

from .builder import OfficialDocument
from .pdf import DocumentError, docx_to_pdf

__all__ = ["DocumentError", "OfficialDocument", "docx_to_pdf"]
