"""Profile photos: the type is read from the content, the image is bounded and re-encoded."""

import io
import uuid
import warnings

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from vivier.core.errors import ApplicationError

PHOTO_TOO_LARGE = _("The photo is larger than %(max)s MB.")
PHOTO_NOT_IMAGE = _("This file is not a JPEG, PNG, WebP or GIF image.")
PHOTO_TOO_MANY_PIXELS = _("The image is too large in pixels.")
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def photo_process(upload: object) -> ContentFile:
    """Check an uploaded photo and return it re-encoded as a square-bounded JPEG."""
    size = getattr(upload, "size", None)
    max_bytes = settings.VIVIER_PHOTO_MAX_BYTES
    if size is not None and size > max_bytes:
        raise ApplicationError(
            "photo_too_large",
            PHOTO_TOO_LARGE % {"max": max_bytes // (1024 * 1024)},
            field="photo",
            status=413,
        )
    raw = upload.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ApplicationError(
            "photo_too_large",
            PHOTO_TOO_LARGE % {"max": max_bytes // (1024 * 1024)},
            field="photo",
            status=413,
        )
    try:
        with warnings.catch_warnings():
            # Pillow warns before it refuses a decompression bomb; we refuse on our own bound.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw))
            if probe.format not in ACCEPTED_FORMATS:
                raise ApplicationError("photo_not_image", PHOTO_NOT_IMAGE, field="photo")
            if probe.width * probe.height > settings.VIVIER_PHOTO_MAX_PIXELS:
                raise ApplicationError(
                    "photo_too_many_pixels", PHOTO_TOO_MANY_PIXELS, field="photo"
                )
            probe.verify()
            image = Image.open(io.BytesIO(raw))
            image.load()
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ApplicationError("photo_not_image", PHOTO_NOT_IMAGE, field="photo") from exc
    # Re-encoding drops metadata (EXIF location) and anything hidden after the pixels.
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((settings.VIVIER_PHOTO_SIZE, settings.VIVIER_PHOTO_SIZE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")
