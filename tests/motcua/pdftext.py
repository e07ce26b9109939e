import subprocess


def pdf_text(content: bytes) -> str:
    """The text of a PDF (poppler's pdftotext), for assertions on printed forms."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()
