"""Draw a terminal screen captured with `tmux capture-pane -e` as a PNG.

Usage: python ansi_to_png.py SCREEN.ansi OUT.png (needs Pillow and the
DejaVu Sans Mono font). Understands the colour and bold codes tmux writes.
"""

import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
BASE = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200),
        (188, 63, 188), (17, 168, 205), (229, 229, 229), (102, 102, 102), (241, 76, 76),
        (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219),
        (255, 255, 255)]
FOREGROUND, BACKGROUND = (220, 220, 220), (30, 30, 30)


def palette(index):
    if index < 16:
        return BASE[index]
    if index < 232:
        index -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[index // 36], steps[index // 6 % 6], steps[index % 6])
    level = 8 + (index - 232) * 10
    return (level, level, level)


def cells(line):
    """Each character of a line with its foreground, background and boldness."""
    fg, bg, bold, reverse = FOREGROUND, BACKGROUND, False, False
    for code, text in re.findall(r"\x1b\[([0-9;]*)m|([^\x1b]+)", line):
        if text:
            for char in text:
                front, back = (bg, fg) if reverse else (fg, bg)
                yield char, front, back, bold
            continue
        parts = [int(p) for p in code.split(";") if p] or [0]
        while parts:
            p = parts.pop(0)
            if p == 0:
                fg, bg, bold, reverse = FOREGROUND, BACKGROUND, False, False
            elif p == 1:
                bold = True
            elif p == 7:
                reverse = True
            elif 30 <= p <= 37 or 90 <= p <= 97:
                fg = BASE[p - 30 if p < 90 else p - 82]
            elif 40 <= p <= 47 or 100 <= p <= 107:
                bg = BASE[p - 40 if p < 100 else p - 92]
            elif p == 39:
                fg = FOREGROUND
            elif p == 49:
                bg = BACKGROUND
            elif p in (38, 48) and parts:
                kind = parts.pop(0)
                colour = palette(parts.pop(0)) if kind == 5 else tuple(parts[:3])
                if kind == 2:
                    parts = parts[3:]
                if p == 38:
                    fg = colour
                else:
                    bg = colour


def main(source, target):
    lines = open(source, encoding="utf-8").read().rstrip("\n").split("\n")
    regular, bold = ImageFont.truetype(FONT, 15), ImageFont.truetype(BOLD, 15)
    width, height = 9, 19
    columns = max(sum(1 for _ in cells(line)) for line in lines)
    image = Image.new("RGB", (columns * width + 16, len(lines) * height + 16), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        for column, (char, front, back, strong) in enumerate(cells(line)):
            x, y = 8 + column * width, 8 + row * height
            draw.rectangle([x, y, x + width, y + height], fill=back)
            draw.text((x, y), char, font=bold if strong else regular, fill=front)
    image.save(target)


if __name__ == "__main__":
    main(*sys.argv[1:3])
