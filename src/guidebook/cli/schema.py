"""guidebook schema profile|clinics|brand|catalogue|bookings"""

from __future__ import annotations

import json

import click


@click.command("schema")
@click.argument("kind", type=click.Choice(["profile", "clinics", "brand", "catalogue", "bookings"]))
@click.option(
    "--json", "as_json", is_flag=True, help="bookings: a JSON Schema of one row instead of the list."
)
def command(kind: str, as_json: bool) -> None:
    """Print the JSON Schema of an input file, for editor completion and checks; for bookings,
    the columns a bookings file (CSV or .xlsx) may have."""
    from pydantic import BaseModel

    if kind == "bookings":
        from .text import bookings_columns, bookings_schema

        click.echo(
            json.dumps(bookings_schema(), indent=2, ensure_ascii=False) if as_json else bookings_columns()
        )
        return

    from ..inputs.catalogue import Catalogue
    from ..inputs.models import Brand, ClinicsFile, Profile

    models: dict[str, type[BaseModel]] = {
        "profile": Profile,
        "clinics": ClinicsFile,
        "brand": Brand,
        "catalogue": Catalogue,
    }
    model = models[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"guidebook {kind}"
    click.echo(json.dumps(schema, indent=2, ensure_ascii=False))
