"""A Django upload handler that seals an evidence file as it streams in.

Django's default handlers keep small files in memory and write larger ones in the clear
to a temporary file; evidence goes neither way. This handler passes each chunk of the
request body straight to a `Receiver` (hash, size, AES-GCM, disk), so memory stays at a
chunk or two whatever the file's size, and the only copy on disk is sealed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload
from django.http import HttpRequest

from markaz.evidence.store import Received, Receiver

FIELD = "file"


if TYPE_CHECKING:
    # The stubs make UploadedFile generic in what its file reads; Django's class is not
    # subscriptable at run time.
    _UploadedBytes = UploadedFile[bytes]
else:
    _UploadedBytes = UploadedFile


class ReceivedUpload(_UploadedBytes):
    """What lands in request.FILES: names and the sealed, hashed bytes (no file object)."""

    def __init__(self, received: Received, name: str, content_type: str) -> None:
        super().__init__(None, name=name, content_type=content_type, size=received.size)
        self.received = received


class EvidenceUploadHandler(FileUploadHandler):
    chunk_size = 1024 * 1024

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.receiver: Receiver | None = None
        self.too_large = False
        self.received: list[Received] = []

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        # One file per upload, in the field the form names; anything else is not read.
        if field_name != FIELD or self.received or self.receiver is not None:
            raise SkipFile
        self.receiver = Receiver()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        if self.receiver is None:
            return None
        if self.receiver.size + len(raw_data) > settings.MARKAZ_EVIDENCE_MAX_BYTES:
            self.too_large = True
            self.abort()
            raise StopUpload(connection_reset=True)
        self.receiver.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> ReceivedUpload | None:
        if self.receiver is None:
            return None
        received = self.receiver.finish()
        self.receiver = None
        self.received.append(received)
        return ReceivedUpload(received, self.file_name or "", self.content_type or "")

    def upload_interrupted(self) -> None:
        self.abort()

    def abort(self) -> None:
        if self.receiver is not None:
            self.receiver.abort()
            self.receiver = None
