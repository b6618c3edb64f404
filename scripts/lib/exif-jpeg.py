"""Writes a small real photo-like JPEG whose EXIF block says when and where it was taken (for test fixtures).

Usage: exif-jpeg.py OUT.jpg. Draws a 320x240 picture (skin tone with a dark bruise), compresses it with cjpeg
(Debian's libjpeg-turbo-progs), and puts an EXIF block after the start marker: Make, Model, DateTimeOriginal,
OffsetTimeOriginal and GPS latitude/longitude (Malmö).
"""
import struct
import subprocess
import sys


def picture():
    width, height = 320, 240
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            d = ((x - 170) ** 2 + (y - 120) ** 2) ** 0.5
            if d < 45:
                shade = 0.45 + 0.55 * d / 45
                row += bytes((int(120 * shade), int(70 * shade), int(130 * shade)))
            else:
                row += bytes((224 - y // 8, 172 - y // 10, 140 - y // 12))
        rows.append(bytes(row))
    ppm = b"P6 %d %d 255\n" % (width, height) + b"".join(rows)
    return subprocess.run(["cjpeg", "-quality", "85"], input=ppm, capture_output=True, check=True).stdout

def ifd(entries, start, extra_offset):
    """Little-endian IFD at `start`; values longer than 4 bytes go after it, from `extra_offset`."""
    body = struct.pack("<H", len(entries))
    extra = b""
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            body += struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            body += struct.pack("<HHII", tag, kind, count, extra_offset + len(extra))
            extra += value
    return body + struct.pack("<I", 0), extra


def rationals(*pairs):
    return b"".join(struct.pack("<II", n, d) for n, d in pairs)


def ascii(text):
    return text.encode() + b"\0"


def build():
    make, model = ascii("Apple"), ascii("iPhone 12")
    taken, offset = ascii("2026:10:25 02:40:00"), ascii("+01:00")
    lat = rationals((55, 1), (36, 1), (1800, 100))
    lon = rationals((13, 1), (0, 1), (1368, 100))
    # Layout: header 8, IFD0 (4 entries) at 8, EXIF IFD (2 entries), GPS IFD (5 entries), each with its values.
    ifd0_size = 2 + 4 * 12 + 4
    ifd0_extra = len(make) + len(model)
    exif_at = 8 + ifd0_size + ifd0_extra
    exif_size = 2 + 2 * 12 + 4
    gps_at = exif_at + exif_size + len(taken) + len(offset)
    ifd0, extra0 = ifd(
        [
            (0x010F, 2, len(make), make),
            (0x0110, 2, len(model), model),
            (0x8769, 4, 1, struct.pack("<I", exif_at)),
            (0x8825, 4, 1, struct.pack("<I", gps_at)),
        ],
        8, 8 + ifd0_size)
    exif, extra1 = ifd(
        [(0x9003, 2, len(taken), taken), (0x9011, 2, len(offset), offset)], exif_at, exif_at + exif_size)
    gps_size = 2 + 5 * 12 + 4
    gps, extra2 = ifd(
        [
            (0x0000, 1, 4, bytes([2, 3, 0, 0])),
            (0x0001, 2, 2, b"N\0"),
            (0x0002, 5, 3, lat),
            (0x0003, 2, 2, b"E\0"),
            (0x0004, 5, 3, lon),
        ],
        gps_at, gps_at + gps_size)
    tiff = b"II*\0" + struct.pack("<I", 8) + ifd0 + extra0 + exif + extra1 + gps + extra2
    app1 = b"Exif\0\0" + tiff
    jpeg = picture()
    assert jpeg[:2] == b"\xff\xd8"
    return b"\xff\xd8" + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]


with open(sys.argv[1], "wb") as out:
    out.write(build())
