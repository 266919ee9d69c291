"""Write src/guidebook/data/holiday_names.yaml: the English names of Korean public holidays that
the `holidays` package gives, so that `make messages` puts them in the translation catalogues."""

import json
from pathlib import Path

import holidays

names = set()
for year in range(2025, 2031):
    for name in holidays.country_holidays("KR", years=year, language="en_US").values():
        names.update(name.split("; "))
lines = [
    "# English names of Korean public holidays from the `holidays` package (2025-2030), so that",
    "# the translations cover them. Made by scripts/holiday_names.py (`make messages`).",
    "holidays:",
]
lines += [f"  - name: {json.dumps(name)}" for name in sorted(names)]
Path(__file__).parents[1].joinpath("src/guidebook/data/holiday_names.yaml").write_text(
    "\n".join(lines) + "\n", encoding="utf-8"
)
