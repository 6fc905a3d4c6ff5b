"""Bounding an upload while it arrives. Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count
a multipart request's files, so without this a 2 GB "document" would be written to a
temporary file in full before the form could refuse it. ``SizeLimitHandler`` skips a file
as soon as it passes the limit; the request's other fields are still parsed, so the form
comes back with everything the user typed and one message at the file field."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitHandler(FileUploadHandler):
    def __init__(self, request, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.skipped: list[str] = []  # field names of files dropped for their size

    def new_file(self, field_name, *args, **kwargs):
        self.received = 0
        super().new_file(field_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.skipped.append(self.field_name)
            raise SkipFile()
        return raw_data  # on to the next handler (memory or temporary file)

    def file_complete(self, file_size):
        return None  # the next handler makes the file


def limit_uploads(request, limit: int) -> SizeLimitHandler:
    """Install the size bound first among the request's upload handlers (before the body is
    read: the view must be csrf_exempt and check CSRF itself, Django's documented pattern)."""
    handler = SizeLimitHandler(request, limit)
    request.upload_handlers.insert(0, handler)
    return handler
