"""Files over HTTP, for the API and the pages alike: the format asked for, the attachment."""

import re
from urllib.parse import quote

from flask import Response, request, stream_with_context

from market.tables import XLSX_MEDIA_TYPE, Export

JSON_MEDIA_TYPE = "application/json"
# The media types a client may ask for by Accept, in the order that breaks ties.
FORMATS_BY_MEDIA_TYPE = {JSON_MEDIA_TYPE: "json", "text/csv": "csv", XLSX_MEDIA_TYPE: "xlsx"}
# RFC 5987 attr-char: what may stand unescaped in `filename*`.
_ATTR_CHARS = "!#$&+-.^_`|~"
_NOT_PLAIN = re.compile(r'[^\x20-\x7e]|["\\]')


def wanted_format(asked: str | None, offered: tuple[str, ...] = ("json", "csv", "xlsx"),
                  default: str = "json") -> str:
    """`?format=` (validated already) wins; else the offered one Accept prefers; else default."""
    if asked:
        return asked
    media_types = [media for media, name in FORMATS_BY_MEDIA_TYPE.items() if name in offered]
    return FORMATS_BY_MEDIA_TYPE.get(request.accept_mimetypes.best_match(media_types), default)


def attachment(file: Export) -> Response:
    """The file as a download, streamed when it comes in chunks."""
    # Chunks are written while the response is sent, so they need the request's context.
    body = file.body if isinstance(file.body, bytes) else stream_with_context(file.body)
    return Response(body, content_type=file.mimetype,
                    headers={"Content-Disposition": content_disposition(file.filename)})


def content_disposition(filename: str) -> str:
    """`attachment; filename="…"`, and RFC 5987's `filename*` (UTF-8) for a non-ASCII name."""
    # Clients that read only `filename` get a stand-in: printable ASCII, no quote or backslash.
    plain = _NOT_PLAIN.sub("_", filename)
    if plain == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe=_ATTR_CHARS)}"
