"""The QR code printed on a consultation letter, drawn as SVG by the ``qrcode`` package (which
django-otp already needs for authenticator set-up), so the letter prints from the browser."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(link: str) -> str:
    """The link as an inline SVG QR code (``<svg>`` markup, no XML declaration)."""
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    # A picture with a name, for screen readers; the link is printed beside it in words.
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code of the link printed below" ', 1)
