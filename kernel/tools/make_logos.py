#!/usr/bin/python3
"""Draws the kernelspec logos (a small dataflow graph: a loop staged into a graph).

Writes logo-svg.svg, logo-32x32.png and logo-64x64.png into the directory given as argv[1].
Pure standard library: the PNGs are rasterized here with 4x4 supersampling.
"""
import math
import os
import struct
import sys
import zlib

# Geometry in a 64x64 box: (x, y, r) nodes and edges between them.
BACKGROUND = (33, 76, 128)      # deep blue rounded square
EDGE = (255, 255, 255)
NODES = [
    ((32, 13, 7), (255, 183, 3)),    # input
    ((17, 37, 7), (255, 255, 255)),  # cond
    ((47, 37, 7), (255, 255, 255)),  # body
    ((32, 53, 7), (255, 183, 3)),    # output
]
EDGES = [(0, 1), (0, 2), (1, 3), (2, 3), (2, 1)]
EDGE_WIDTH = 3.0
CORNER = 12


def svg():
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">',
        '<rect x="0" y="0" width="64" height="64" rx="%d" fill="rgb%s"/>' % (CORNER, BACKGROUND),
    ]
    for a, b in EDGES:
        (x1, y1, _), _c = NODES[a]
        (x2, y2, _), _c = NODES[b]
        parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="rgb%s" stroke-width="%g" '
                     'stroke-linecap="round"/>' % (x1, y1, x2, y2, EDGE, EDGE_WIDTH))
    for (x, y, r), color in NODES:
        parts.append('<circle cx="%d" cy="%d" r="%d" fill="rgb%s" stroke="rgb%s" '
                     'stroke-width="1.5"/>' % (x, y, r, color, BACKGROUND))
    parts.append('</svg>')
    return "\n".join(parts) + "\n"


def segment_distance(px, py, x1, y1, x2, y2):
    dx, dy = x2 - x1, y2 - y1
    t = max(0.0, min(1.0, ((px - x1) * dx + (py - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (x1 + t * dx), py - (y1 + t * dy))


def inside_rounded_square(x, y):
    cx = min(max(x, CORNER), 64 - CORNER)
    cy = min(max(y, CORNER), 64 - CORNER)
    return math.hypot(x - cx, y - cy) <= CORNER


def color_at(x, y):
    """RGBA of the design at a point of the 64x64 box."""
    if not inside_rounded_square(x, y):
        return (0, 0, 0, 0)
    color = BACKGROUND
    for a, b in EDGES:
        (x1, y1, _), _c = NODES[a]
        (x2, y2, _), _c = NODES[b]
        if segment_distance(x, y, x1, y1, x2, y2) <= EDGE_WIDTH / 2:
            color = EDGE
    for (nx, ny, r), node_color in NODES:
        d = math.hypot(x - nx, y - ny)
        if d <= r:
            color = node_color if d <= r - 0.75 else BACKGROUND
    return color + (255,)


def png(size):
    samples = 4
    scale = 64.0 / size
    rows = []
    for j in range(size):
        row = bytearray([0])  # filter type: none
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(samples):
                for si in range(samples):
                    x = (i + (si + 0.5) / samples) * scale
                    y = (j + (sj + 0.5) / samples) * scale
                    r, g, b, a = color_at(x, y)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            alpha = acc[3] / (samples * samples)
            if acc[3]:
                row += bytes(round(c / acc[3]) for c in acc[:3])
            else:
                row += bytes(3)
            row.append(round(alpha))
        rows.append(bytes(row))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) +
            chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    with open(os.path.join(out, "logo-svg.svg"), "w") as f:
        f.write(svg())
    for size in (32, 64):
        with open(os.path.join(out, "logo-%dx%d.png" % (size, size)), "wb") as f:
            f.write(png(size))


if __name__ == "__main__":
    main()
