"""Deterministic Pillow drawings: each image is a pure function of its inputs.

Nothing here knows about HTTP: bad input raises `InvalidImage`, which the
backend answers with a 400.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageOps, ImageStat

Size = tuple[int, int]
RGB = tuple[int, int, int]

DEFAULT_SIZE: Size = (1024, 1024)
MEDIA_TYPES = {"png": "image/png", "webp": "image/webp", "jpeg": "image/jpeg"}
MAX_INPUT_PIXELS = 4096 * 4096
"""Larger uploads are refused before they are decoded."""
BACKGROUND_TOLERANCE = 48
"""The largest per-channel distance from the background colour of a removed pixel."""
MAX_CAPTION_CHARS = 256
"""Caption text laid out at most: more than the widest image shows at its font size.

Measuring text is linear in its length and Pillow refuses strings of over a
million characters, so a long prompt is cut before any layout work.
"""


class InvalidImage(ValueError):
    """An upload Pillow cannot read, or a mask that does not fit its image."""


def parse_size(size: str | None) -> Size:
    """`WIDTHxHEIGHT` as a pair; None and `auto` mean 1024x1024."""
    if size is None or size == "auto":
        return DEFAULT_SIZE
    width, _, height = size.partition("x")
    return int(width), int(height)


@dataclass(frozen=True)
class Output:
    """How images are delivered: size, file format, compression and alpha.

    `compression` follows OpenAI's `output_compression`: lower values give
    smaller files. It is the quality of jpeg/webp and maps 100..0 onto png's
    compress_level 0..9; None keeps Pillow's defaults.
    """

    size: Size
    format: str
    compression: int | None
    transparent: bool

    def fit(self, image: Image.Image) -> Image.Image:
        """`image` at this size (centre-cropped to keep its aspect), RGBA or flattened RGB."""
        image = image.convert("RGBA")
        if image.size != self.size:
            image = ImageOps.fit(image, self.size, Image.Resampling.LANCZOS)
        if self.transparent:
            return image
        return Image.alpha_composite(
            Image.new("RGBA", image.size, "white"), image
        ).convert("RGB")

    def encode(self, image: Image.Image) -> bytes:
        """The file bytes of `image`, fitted first."""
        options: dict[str, int] = {}
        if self.compression is not None and self.format == "png":
            options["compress_level"] = round((100 - self.compression) * 9 / 100)
        elif self.compression is not None:
            options["quality"] = self.compression
        buffer = io.BytesIO()
        self.fit(image).save(buffer, self.format.upper(), **options)
        return buffer.getvalue()


def decode(data: bytes, what: str) -> Image.Image:
    """The image in `data`, fully loaded; `what` names it in the error."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height <= MAX_INPUT_PIXELS:
            image.load()
    # Malformed files make Pillow's decoders raise many kinds of errors.
    except Exception:
        raise InvalidImage(f"The uploaded {what} is not a readable image.") from None
    if image.width * image.height > MAX_INPUT_PIXELS:
        raise InvalidImage(f"The {what} is larger than {MAX_INPUT_PIXELS} pixels.")
    return image


def generate(prompt: str, index: int, *, size: Size, transparent: bool) -> Image.Image:
    """Image `index` for `prompt`: a gradient, shapes and the prompt as a caption."""
    rng = _rng(prompt, index)
    gradient = Image.linear_gradient("L")
    if rng.random() < 0.5:
        gradient = gradient.transpose(Image.Transpose.ROTATE_90)
    bottom, top = _colour(rng), _colour(rng)
    if transparent:  # the same shapes, on nothing
        image = Image.new("RGBA", size, (0, 0, 0, 0))
    else:
        image = Image.composite(
            Image.new("RGBA", size, bottom),
            Image.new("RGBA", size, top),
            gradient.resize(size),
        )
    draw = ImageDraw.Draw(image)
    width, height = size
    for _ in range(rng.randint(4, 9)):
        xs = sorted(rng.randrange(width) for _ in range(2))
        ys = sorted(rng.randrange(height) for _ in range(2))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((xs[0], ys[0], xs[1], ys[1]), fill=_colour(rng))
    _caption(image, prompt)
    return image


def edit_region(mask: Image.Image, image: Image.Image) -> Image.Image:
    """The `L` image that is 255 where `mask` is fully transparent (the part to edit)."""
    if mask.size != image.size:
        raise InvalidImage(
            f"The mask is {mask.width}x{mask.height} but the image is "
            f"{image.width}x{image.height}; they must be the same size."
        )
    if "A" not in mask.getbands() and "transparency" not in mask.info:
        raise InvalidImage("The mask needs an alpha channel.")
    return mask.convert("RGBA").getchannel("A").point(lambda a: 255 if a == 0 else 0)


def edit(
    sources: Sequence[Image.Image],
    prompt: str,
    index: int,
    *,
    size: Size,
    region: Image.Image | None = None,
) -> Image.Image:
    """`sources` tinted and captioned after `prompt`, then tiled on `size`.

    As in OpenAI's API, the edit region (from `edit_region`) applies to the
    first image: only its pixels there change.
    """
    rng = _rng(prompt, index)
    tint = _colour(rng)
    edited = [_retouch(source.convert("RGBA"), tint, prompt) for source in sources]
    if region is not None:
        edited[0] = Image.composite(edited[0], sources[0].convert("RGBA"), region)
    return tile(edited, size)


def remove_background(image: Image.Image) -> Image.Image:
    """`image` as RGBA with the pixels near its border's median colour transparent."""
    rgba = image.convert("RGBA")
    rgb = rgba.convert("RGB")
    width, height = rgb.size
    frame = Image.new("L", rgb.size, 0)
    for box in (
        (0, 0, width, 1),
        (0, height - 1, width, height),
        (0, 0, 1, height),
        (width - 1, 0, width, height),
    ):
        frame.paste(255, box)
    red, green, blue = ImageStat.Stat(rgb, frame).median
    distance = ImageChops.difference(
        rgb, Image.new("RGB", rgb.size, (red, green, blue))
    )
    red_gap, green_gap, blue_gap = distance.split()
    nearest = ImageChops.lighter(ImageChops.lighter(red_gap, green_gap), blue_gap)
    keep = nearest.point(lambda d: 255 if d > BACKGROUND_TOLERANCE else 0)
    rgba.putalpha(ImageChops.multiply(rgba.getchannel("A"), keep))
    return rgba


def vary(image: Image.Image, index: int) -> Image.Image:
    """Variation `index` of `image`: its hue shifted and the picture turned a little."""
    rgba = image.convert("RGBA")
    hue, saturation, value = rgba.convert("RGB").convert("HSV").split()
    shift = (index + 1) * 256 // 11
    hue = hue.point(lambda h: (h + shift) % 256)
    varied = Image.merge("HSV", (hue, saturation, value)).convert("RGBA")
    varied.putalpha(rgba.getchannel("A"))
    angle = (-1) ** index * (4 + 3 * (index % 4))
    turned = varied.rotate(angle, Image.Resampling.BICUBIC)
    # Zoom in just enough that the corners the rotation uncovered are cropped off.
    width, height = turned.size
    radians = math.radians(abs(angle))
    zoom = math.cos(radians) + max(width / height, height / width) * math.sin(radians)
    crop = (round(width / zoom), round(height / zoom))
    left, top = (width - crop[0]) // 2, (height - crop[1]) // 2
    return turned.crop((left, top, left + crop[0], top + crop[1])).resize(turned.size)


def preview(image: Image.Image, step: int, steps: int) -> Image.Image:
    """Partial image `step` of `steps` for `image`: coarse at first, finer later."""
    factor = 2 ** (steps - step + 2)
    width, height = image.size
    small = image.resize(
        (max(1, width // factor), max(1, height // factor)), Image.Resampling.BOX
    )
    return small.resize(image.size, Image.Resampling.BILINEAR)


def tile(images: Sequence[Image.Image], size: Size) -> Image.Image:
    """One image as it is; several whole on a near-square grid filling `size`."""
    if len(images) == 1:
        return images[0]
    columns = math.ceil(math.sqrt(len(images)))
    rows = math.ceil(len(images) / columns)
    cell = (size[0] // columns, size[1] // rows)
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    for position, image in enumerate(images):
        row, column = divmod(position, columns)
        fitted = ImageOps.pad(image.convert("RGBA"), cell, color=(0, 0, 0, 0))
        canvas.paste(fitted, (column * cell[0], row * cell[1]))
    return canvas


def _retouch(image: Image.Image, tint: RGB, prompt: str) -> Image.Image:
    """`image` (RGBA) blended towards `tint` and captioned, its alpha kept."""
    retouched = Image.blend(image, Image.new("RGBA", image.size, tint), 0.4)
    retouched.putalpha(image.getchannel("A"))
    _caption(retouched, prompt)
    return retouched


def _caption(image: Image.Image, text: str) -> None:
    """Writes `text` (on one line, shortened to fit) on a dark band at the bottom."""
    text, cut = _caption_text(text)
    if not text:
        return
    width, height = image.size
    font = ImageFont.load_default(size=max(10, height // 20))
    draw = ImageDraw.Draw(image)
    shown = text + "..." if cut else text
    while len(shown) > 3 and draw.textlength(shown, font=font) > width * 0.9:
        text = text[: len(text) * 4 // 5]
        shown = text + "..."
    band = height // 10
    draw.rectangle((0, height - band, width, height), fill=(0, 0, 0))
    draw.text(
        (width / 2, height - band / 2),
        shown,
        fill=(255, 255, 255),
        font=font,
        anchor="mm",
    )


def _caption_text(text: str) -> tuple[str, bool]:
    """The words of `text` on one line, at most `MAX_CAPTION_CHARS`; whether it was cut.

    Words are read lazily and the reading stops past the limit, so a prompt of
    millions of characters costs at most one scan of it, never layout work.
    """
    words: list[str] = []
    length = -1
    for match in re.finditer(r"\S+", text):
        length += 1 + len(match.group())
        if length > MAX_CAPTION_CHARS:
            line = " ".join([*words, match.group()[:MAX_CAPTION_CHARS]])
            return line[:MAX_CAPTION_CHARS], True
        words.append(match.group())
    return " ".join(words), False


def _rng(prompt: str, index: int) -> random.Random:
    """A random generator seeded by `prompt` and `index` alone."""
    digest = hashlib.sha256(f"{index}:{prompt}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _colour(rng: random.Random) -> RGB:
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))
