"""Brand colours made readable: WCAG contrast, text on a colour, a colour as text on white."""

from __future__ import annotations

# The CSS colour names a brand may use (models.NAMED_COLORS), as hex.
NAMED_HEX = {
    "black": "#000000",
    "white": "#ffffff",
    "gray": "#808080",
    "grey": "#808080",
    "silver": "#c0c0c0",
    "red": "#ff0000",
    "maroon": "#800000",
    "orange": "#ffa500",
    "gold": "#ffd700",
    "yellow": "#ffff00",
    "olive": "#808000",
    "lime": "#00ff00",
    "green": "#008000",
    "teal": "#008080",
    "aqua": "#00ffff",
    "cyan": "#00ffff",
    "blue": "#0000ff",
    "navy": "#000080",
    "purple": "#800080",
    "fuchsia": "#ff00ff",
    "magenta": "#ff00ff",
    "pink": "#ffc0cb",
    "brown": "#a52a2a",
    "coral": "#ff7f50",
    "crimson": "#dc143c",
    "indigo": "#4b0082",
    "ivory": "#fffff0",
    "khaki": "#f0e68c",
    "lavender": "#e6e6fa",
    "salmon": "#fa8072",
    "tomato": "#ff6347",
    "turquoise": "#40e0d0",
    "violet": "#ee82ee",
    "darkblue": "#00008b",
    "darkgreen": "#006400",
    "darkred": "#8b0000",
    "steelblue": "#4682b4",
    "slategray": "#708090",
    "midnightblue": "#191970",
    "royalblue": "#4169e1",
    "seagreen": "#2e8b57",
    "hotpink": "#ff69b4",
    "plum": "#dda0dd",
    "orchid": "#da70d6",
}
AA = 4.5  # WCAG AA for normal text


def rgb(color: str) -> tuple[float, float, float]:
    value = NAMED_HEX.get(color.lower(), color).lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def luminance(color: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb(color)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color_on(color: str) -> str:
    """Near-black or white, whichever reads better on `color` (always at least 4.5:1)."""
    return "#111111" if contrast(color, "#111111") >= contrast(color, "#ffffff") else "#ffffff"


def readable_on_white(color: str) -> str:
    """`color` as text on white paper: itself when it passes WCAG AA, else darkened until it does."""
    r, g, b = rgb(color)
    for step in range(21):
        factor = 1 - step / 20
        candidate = "#" + "".join(f"{round(c * factor * 255):02x}" for c in (r, g, b))
        if contrast(candidate, "#ffffff") >= AA:
            return candidate if step else _hex(color)
    return "#000000"


def _hex(color: str) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb(color))


def mix_with_white(color: str, strength: float) -> str:
    """`color` at `strength` (0 to 1) on white paper: a tint that prints as a light grey."""
    return "#" + "".join(f"{round((1 - strength + strength * c) * 255):02x}" for c in rgb(color))
