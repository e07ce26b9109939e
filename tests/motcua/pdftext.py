import subprocess


def pdf_text(content: bytes) -> str:
    """The text of a PDF (poppler's pdftotext), for assertions on printed forms."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_pages(content: bytes) -> int:
    """The number of pages of a PDF (pdftotext ends every page with a form feed)."""
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode().count("\f")
