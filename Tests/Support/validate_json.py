#!/usr/bin/env python3
"""Validate a JSON file against one of the project's JSON Schemas (draft 2020-12).

Usage: python3 validate_json.py SCHEMA_FILE_NAME JSON_FILE
       e.g. python3 validate_json.py record-entry.schema.json /tmp/entry.json

The schema is looked up by file name in the repository's Schemas/ folder (../../Schemas from this script).
Every schema in that folder is registered under its "$id", so relative "$ref"s between them resolve offline.

Exit 0, printing nothing, when the file is valid; exit 1, printing one line per error (where, then what),
when it is not (a file that is not strict JSON counts as invalid); exit 2 on usage errors (wrong arguments,
unknown schema, unreadable file, a broken schema).

Needs only Python 3.11 and the `jsonschema` package (with its `referencing` dependency).
"""

import json
import sys
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SCHEMAS = Path(__file__).resolve().parent.parent.parent / "Schemas"
USAGE = "usage: python3 validate_json.py SCHEMA_FILE_NAME JSON_FILE   (e.g. record-entry.schema.json entry.json)"


class UsageError(Exception):
    pass


class InvalidJSON(Exception):
    pass


def load_schemas() -> dict[str, dict]:
    """Every *.schema.json in Schemas/, by file name."""
    if not SCHEMAS.is_dir():
        raise UsageError(f"no Schemas folder at {SCHEMAS}")
    schemas = {}
    for path in sorted(SCHEMAS.glob("*.schema.json")):
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise UsageError(f"cannot read the schema {path}: {error}") from error
        if not isinstance(schema, dict) or not isinstance(schema.get("$id"), str):
            raise UsageError(f"the schema {path} has no \"$id\"")
        schemas[path.name] = schema
    return schemas


def build_registry(schemas: dict[str, dict]) -> Registry:
    resources = [(schema["$id"], DRAFT202012.create_resource(schema)) for schema in schemas.values()]
    return Registry().with_resources(resources)


def strict_object(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object, refusing duplicate keys (Python's json module would silently keep the last)."""
    result = {}
    for key, value in pairs:
        if key in result:
            raise InvalidJSON(f"duplicate key {json.dumps(key, ensure_ascii=False)}")
        result[key] = value
    return result


def refuse_constant(name: str) -> object:
    raise InvalidJSON(f"{name} is not JSON")


def load_instance(path: Path) -> object:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror or error}") from error
    try:
        text = data.decode("utf-8")  # strict: a byte-order mark or invalid UTF-8 is not what we write
        if text.startswith("\ufeff"):
            raise InvalidJSON("the file starts with a byte-order mark")
        return json.loads(text, object_pairs_hook=strict_object, parse_constant=refuse_constant)
    except UnicodeDecodeError as error:
        raise InvalidJSON(f"not UTF-8: {error}") from error
    except json.JSONDecodeError as error:
        raise InvalidJSON(f"not valid JSON: {error}") from error


def location(path) -> str:
    """An instance path as $, $.kdf.salt, $[0].entry.id."""
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(USAGE, file=sys.stderr)
        return 2
    schema_name, json_path = argv[1], Path(argv[2])
    try:
        schemas = load_schemas()
        if schema_name not in schemas:
            known = ", ".join(sorted(schemas)) or "none"
            raise UsageError(f"no schema named {schema_name!r} in {SCHEMAS} (there are: {known})")
        schema = schemas[schema_name]
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as error:
            raise UsageError(f"the schema {schema_name} is itself invalid: {error.message}") from error
        validator = Draft202012Validator(
            schema,
            registry=build_registry(schemas),
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        instance = load_instance(json_path)
    except UsageError as error:
        print(f"validate_json.py: {error}", file=sys.stderr)
        return 2
    except InvalidJSON as error:
        print(f"$: {error}")
        return 1

    errors = sorted(validator.iter_errors(instance), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for error in errors:
        print(f"{location(error.absolute_path)}: {error.message}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
