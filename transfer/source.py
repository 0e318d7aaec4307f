"""What every import source must be before it is read: a bounded, decodable text.

Kept free of Django so that the conversion child process (transfer.convert_worker) starts
quickly.
"""

MAX_BYTES = 1024 * 1024


class ImportTextError(ValueError):
    """The text cannot be imported; the message says why in plain words."""


def decode_upload(data: bytes) -> str:
    """The uploaded bytes as text, or ImportTextError saying what is wrong with them."""
    if len(data) > MAX_BYTES:
        raise ImportTextError(
            f"The file is {len(data) / MAX_BYTES:.1f} MB; the limit is 1 MB. "
            "Split the document and import it in parts."
        )
    if not data.strip():
        raise ImportTextError("The file is empty.")
    if b"\x00" in data:
        raise ImportTextError("This is a binary file, not plain text. Upload a .txt file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportTextError(
            f"The file is not UTF-8 text (the bytes at position {exc.start} cannot be read). "
            "Save it as UTF-8 (“Plain text, UTF-8”) and upload it again."
        ) from exc
    return check_text(text)


def check_text(text: str) -> str:
    """Refuse empty, oversized or binary text (pasted or decoded)."""
    if not text.strip():
        raise ImportTextError("There is no text to import.")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ImportTextError("The text is over 1 MB. Split the document and import it in parts.")
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        raise ImportTextError("The text contains control characters; it looks like a binary file.")
    return text
