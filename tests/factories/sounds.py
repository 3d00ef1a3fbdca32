"""Sound recordings for the voice note tests, made here rather than kept as files: a real WAV
(a tone a browser plays) and the first bytes of the other formats phones record in."""

from __future__ import annotations

import io
import math
import struct
import wave


def tone_wav(seconds: float = 1.0, *, rate: int = 8000) -> bytes:
    """A 440 Hz tone, 16-bit mono: a real recording any browser can play."""
    frames = b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * n / rate)))
        for n in range(int(seconds * rate))
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(rate)
        recording.writeframes(frames)
    return out.getvalue()


# The first bytes of a recording in each format a phone or browser makes, followed by padding:
# what the type check reads (the sound itself is never decoded).
STARTS = {
    "audio/mp4": b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00",  # an iPhone's voice memo
    "audio/3gpp": b"\x00\x00\x00\x18ftyp3gp4\x00\x00\x02\x00",  # an older Android phone
    "audio/ogg": b"OggS\x00\x02" + bytes(10),  # Firefox
    "audio/webm": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81" + bytes(8),  # Chrome's MediaRecorder
    "audio/mpeg": b"ID3\x04\x00\x00" + bytes(10),
    "audio/aac": b"\xff\xf1\x50\x80" + bytes(12),  # ADTS
    "audio/amr": b"#!AMR\n" + bytes(10),
    "audio/flac": b"fLaC\x00\x00\x00\x22" + bytes(8),
    "audio/x-caf": b"caff\x00\x01\x00\x00" + bytes(8),
}


def recording_of(content_type: str, size: int = 2048) -> bytes:
    start = STARTS[content_type]
    return start + bytes(size - len(start))
