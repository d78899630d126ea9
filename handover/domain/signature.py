"""A holder's signature as stored: a PNG image that decodes, of sane size, with ink on it.

Checked before a handover is recorded, because the receipt is rendered from these bytes
later: a signature that cannot be decoded would make a handover whose receipt can never be
produced.
"""

from __future__ import annotations

import io
import warnings

from handover.errors import HandoverError

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_BYTES = 2_000_000
MIN_SIDE = 8  # pixels
MAX_SIDE = 4000
MAX_PIXELS = 4_000_000
MIN_INK_PIXELS = 50  # a dot or a stray click has fewer
MIN_INK_SPAN = 20  # pixels, across or down
INK_LEVEL = 128  # grey levels below this are ink


class SignatureRejected(HandoverError):
    """The signature image cannot be kept; the holder signs again."""


_AGAIN = " Effacez la zone de signature et faites signer à nouveau."


def check_signature(png: bytes) -> None:
    """Raise ``SignatureRejected`` unless ``png`` is a decodable PNG signature with ink."""
    if not png.startswith(PNG_MAGIC):
        raise SignatureRejected(
            "La signature de l'usager manque : faites-le signer avant de valider."
        )
    if len(png) > MAX_BYTES:
        raise SignatureRejected("Image de signature trop grande." + _AGAIN)
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(png), formats=["PNG"]) as image:
                width, height = image.size
                if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                    raise SignatureRejected(
                        f"Image de signature de {width} × {height} pixels : entre {MIN_SIDE} "
                        f"et {MAX_SIDE} pixels de côté attendus." + _AGAIN
                    )
                if width * height > MAX_PIXELS:
                    raise SignatureRejected("Image de signature trop grande." + _AGAIN)
                image.load()  # decodes every byte: a damaged image fails here
                if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                    flat = Image.new("RGBA", image.size, "white")
                    flat.alpha_composite(image.convert("RGBA"))
                    grey = flat.convert("L")
                else:
                    grey = image.convert("L")
    except SignatureRejected:
        raise
    except Exception:  # Pillow reports a damaged file with many exception types
        raise SignatureRejected(
            "L'image de signature est illisible (fichier PNG endommagé)." + _AGAIN
        ) from None
    ink = sum(grey.histogram()[:INK_LEVEL])
    box = grey.point(lambda v: 255 if v < INK_LEVEL else 0).getbbox()
    span = 0 if box is None else max(box[2] - box[0], box[3] - box[1])
    if ink < MIN_INK_PIXELS or span < MIN_INK_SPAN:
        raise SignatureRejected("La signature est vide ou presque (un point, un trait)." + _AGAIN)
