"""Draw Koordi's icon (app/static/img/koordi.svg) as assets/icons/koordi.png and koordi.ico.

Run once when the design changes and commit the outputs:

    .venv/bin/python build/make_icons.py      (Pillow comes with the lock, via reportlab)

The SVG, in its 64x64 view box: a teal #0b5563 square with corner radius 14; three
dots of radius 7 at (22,24) white, (42,24) #9fd8cf, (32,42) #ffd38a; a white
triangle joining their centres, stroke 3, round joins, 80 % opaque, on top.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "assets" / "icons"
ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 96, 128, 256]
MASTER = 1024  # drawn large, scaled down with a good filter: smooth edges at every size
TEAL = (0x0B, 0x55, 0x63, 255)
DOTS = [((22, 24), (255, 255, 255, 255)), ((42, 24), (0x9F, 0xD8, 0xCF, 255)), ((32, 42), (0xFF, 0xD3, 0x8A, 255))]


def draw(size: int = MASTER) -> Image.Image:
    s = size / 64
    base = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(base)
    d.rounded_rectangle((0, 0, size - 1, size - 1), radius=round(14 * s), fill=TEAL)
    for (cx, cy), colour in DOTS:
        d.ellipse(((cx - 7) * s, (cy - 7) * s, (cx + 7) * s, (cy + 7) * s), fill=colour)
    # The triangle on its own layer, so its 80 % opacity is applied once, joins included.
    lines = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ld = ImageDraw.Draw(lines)
    points = [(x * s, y * s) for (x, y), _ in DOTS]
    width = round(3 * s)
    ld.line(points + [points[0]], fill=(255, 255, 255, 255), width=width, joint="curve")
    for x, y in points:  # round joins
        ld.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=(255, 255, 255, 255))
    alpha = lines.getchannel("A").point(lambda a: a * 8 // 10)
    lines.putalpha(alpha)
    return Image.alpha_composite(base, lines)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    master = draw()
    master.resize((512, 512), Image.Resampling.LANCZOS).save(OUT / "koordi.png", optimize=True)
    sizes = {n: master.resize((n, n), Image.Resampling.LANCZOS) for n in ICO_SIZES}
    # Each size resampled from the master (not Pillow's own downscale of the largest frame).
    sizes[256].save(
        OUT / "koordi.ico", format="ICO", sizes=[(n, n) for n in ICO_SIZES], append_images=[sizes[n] for n in ICO_SIZES[:-1]]
    )
    for path in (OUT / "koordi.png", OUT / "koordi.ico"):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
