"""File uploads as the two API profiles take them: multipart field ``file`` (v7.x) or raw octet-stream (v1.0)."""

from __future__ import annotations

from simulator.body import BodyError
from simulator.errors import bad_request
from simulator.multipart import MultipartError, MultipartReader, boundary_of

FIELD = "file"
SMALL_FILE_LIMIT = 16 * 1024 * 1024


class Upload:
    """The uploaded file's content, read in chunks straight from the socket."""

    def __init__(self, source, filename: str | None):
        self._source = source
        self.filename = filename

    def chunks(self, size: int = 65536):
        try:
            while True:
                data = self._source.read(size)
                if not data:
                    return
                yield data
        except (BodyError, MultipartError) as err:
            raise bad_request(f"Upload is malformed: {err}") from err

    def read_all(self, limit: int = SMALL_FILE_LIMIT) -> bytes:
        parts, total = [], 0
        for data in self.chunks():
            total += len(data)
            if total > limit:
                raise bad_request(f"Uploaded file is larger than {limit} bytes")
            parts.append(data)
        return b"".join(parts)


def open_upload(body, content_type: str | None, multipart_api: bool) -> Upload:
    """The file in this request's body, or a 400 ApiError that says which encoding the API expects."""
    boundary = boundary_of(content_type)
    is_multipart = (content_type or "").lower().startswith("multipart/")
    if not multipart_api:
        if is_multipart:
            raise bad_request("This API version takes file uploads as Content-Type application/octet-stream, not multipart/form-data")
        return Upload(body, None)
    if boundary is None:
        raise bad_request(f"File uploads must be multipart/form-data with the file in field '{FIELD}'"
                          f" (got Content-Type {content_type or 'none'})")
    reader = MultipartReader(body, boundary)
    try:
        while True:
            part = reader.next_part()
            if part is None:
                raise bad_request(f"multipart/form-data upload has no field '{FIELD}'")
            if part.name == FIELD:
                return Upload(reader, part.filename)
    except (BodyError, MultipartError) as err:
        raise bad_request(f"Upload is malformed: {err}") from err
