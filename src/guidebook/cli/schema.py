"""guidebook schema profile|clinics|brand"""

from __future__ import annotations

import json

import click


@click.command("schema")
@click.argument("kind", type=click.Choice(["profile", "clinics", "brand", "catalogue"]))
def command(kind: str) -> None:
    """Print the JSON Schema of an input file, for editor completion and checks."""
    from pydantic import BaseModel

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
