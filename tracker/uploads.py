"""Uploads larger than any form of the service accepts are refused before they are read whole.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count files, and the multipart body is parsed by the
first thing that reads a form field (here the edge middleware, then the CSRF check), before any
view runs. This handler, first in FILE_UPLOAD_HANDLERS, looks at the declared length of the body:
if it is over MAX_UPLOAD_REQUEST_BYTES, parsing stops at the first file (the text fields before it,
such as an answer typed above the file input, are kept), the rest of the body is not read, and
`request.upload_too_large` tells the view to say so. A body that turns out longer than declared is
cut at the same limit.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


def upload_too_large(request) -> bool:
    return getattr(request, "upload_too_large", False)


class RequestSizeLimitHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_large = content_length > settings.MAX_UPLOAD_REQUEST_BYTES
        self.received = 0
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.too_large:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_REQUEST_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        self.request.upload_too_large = True
        raise StopUpload(connection_reset=True)
