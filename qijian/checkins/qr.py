"""QR images of a text (the public URL of a code): PNG bytes and SVG markup, from the ``qrcode`` package.

Error correction level M (15 %) survives a scuffed print; the quiet zone is the standard four modules.
"""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathFillImage

BOX_PIXELS = 10  # pixels per module in the PNG (a 33-module code is 410 px wide)
BORDER = 4


def _code(text: str) -> qrcode.QRCode:
    if not text:
        raise ValueError("二维码内容不能为空")
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=BOX_PIXELS, border=BORDER)
    code.add_data(text)
    code.make(fit=True)
    return code


def png(text: str) -> bytes:
    buffer = io.BytesIO()
    _code(text).make_image(image_factory=PilImage).save(buffer)
    return buffer.getvalue()


def svg(text: str) -> str:
    image = _code(text).make_image(image_factory=SvgPathFillImage)
    return image.to_string(encoding="unicode")
