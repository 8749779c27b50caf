#!/usr/bin/env python3
# qr_text_to_pbm.py TEXT PBM: turns the terminal QR code of `pptpx migrate wireguard --qr`
# (USER.qr.txt) back into an image a decoder (zbarimg) can read, module by module.
import sys

# pptpx's terminal QR: 2 module rows per text line; a drawn half is a light module.
rows = open(sys.argv[1], encoding="utf-8").read().splitlines()
grid = []
for line in rows:
    top = [c in "\u2588\u2580" for c in line]
    bot = [c in "\u2588\u2584" for c in line]
    grid += [top, bot]
scale, margin = 4, 4
w = len(grid[0]) + 2 * margin
h = len(grid) + 2 * margin
out = ["P1", f"{w*scale} {h*scale}"]
for y in range(h):
    line = []
    for x in range(w):
        gy, gx = y - margin, x - margin
        light = not (0 <= gy < len(grid) and 0 <= gx < len(grid[gy])) or grid[gy][gx]
        line += ["0" if light else "1"] * scale
    out += [" ".join(line)] * scale
open(sys.argv[2], "w").write("\n".join(out) + "\n")
