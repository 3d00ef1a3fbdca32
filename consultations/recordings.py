"""Voice notes: what kind of sound recording a file is, read from its first bytes.

A phone names its recording's type itself (and a browser passes that on), so the name and the
type a file arrives with say nothing we can trust: the bytes at its start do. Only the formats
phones and browsers record in are let in; anything else (a picture, a document, a program
renamed ``.m4a``) is refused before it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

# The words for an empty voice note, whether the form or the service finds it empty.
NO_SOUND = "That voice note has no sound in it. Record your answer again, or choose another recording."

# Enough of the start of a file to tell every format below.
HEAD_BYTES = 16


@dataclass(frozen=True)
class RecordingType:
    content_type: str
    name: str  # as people know it, for the download link ("M4A")
    extension: str


MP4 = RecordingType("audio/mp4", "M4A", "m4a")
THREE_GP = RecordingType("audio/3gpp", "3GP", "3gp")
OGG = RecordingType("audio/ogg", "OGG", "ogg")
WEBM = RecordingType("audio/webm", "WEBM", "webm")
WAV = RecordingType("audio/wav", "WAV", "wav")
MP3 = RecordingType("audio/mpeg", "MP3", "mp3")
AAC = RecordingType("audio/aac", "AAC", "aac")
AMR = RecordingType("audio/amr", "AMR", "amr")
FLAC = RecordingType("audio/flac", "FLAC", "flac")
CAF = RecordingType("audio/x-caf", "CAF", "caf")

BY_CONTENT_TYPE = {
    kind.content_type: kind for kind in (MP4, THREE_GP, OGG, WEBM, WAV, MP3, AAC, AMR, FLAC, CAF)
}

# The "ftyp" brands of the MP4 family that phones record sound in: Apple's voice memos and
# Android's recorders (M4A), the generic MP4 brands, and the older 3GP of basic phones.
_MP4_BRANDS = {b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2", b"iso5", b"dash", b"qt  "}
_3GP_BRANDS = (b"3gp", b"3g2")


def recording_type(head: bytes) -> RecordingType | None:
    """The kind of recording a file is from its first bytes (``HEAD_BYTES`` are enough), or
    None if it is not one we accept."""
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand.startswith(_3GP_BRANDS):
            return THREE_GP
        return MP4 if brand in _MP4_BRANDS else None
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM, as Chrome and Firefox record
        return WEBM
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"ID3"):
        return MP3
    if head.startswith(b"#!AMR"):
        return AMR
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"caff"):
        return CAF
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        # A frame header: the layer bits say MP3 (layer III) or ADTS AAC (layer 0).
        layer = (head[1] >> 1) & 0b11
        if layer == 0b01:
            return MP3
        if layer == 0b00 and head[1] & 0xF0 == 0xF0:  # ADTS: twelve bits of sync, layer 0
            return AAC
    return None
