#!/usr/bin/env python3
"""Extract the Messages and IncomingPhoneNumbers response schemas from Twilio's OpenAPI spec.

The simulator's schema test (crates/sim/tests/schema.rs) validates the simulator's JSON against
Twilio's own schemas. The full spec (1.9 MB, kept outside the repository in shared/) is not there on
a fresh clone, so this script writes just the schemas the test needs into the repository:

    crates/sim/tests/spec/twilio-messages-schemas.json   the extract (generated; do not edit)
    crates/sim/tests/spec/LICENSE-twilio-oai             Twilio's MIT licence, copied verbatim

The extract is plain JSON Schema 2020-12, so a validator can use it without knowing OpenAPI:
* OpenAPI 3.0's `nullable: true` becomes a type union with "null" (and `null` joins any `enum`);
* `#/components/schemas/X` references become `#/$defs/X`, and every schema they reach is copied;
* descriptions, titles and `x-` vendor extensions are dropped: they validate nothing;
* any other keyword this script does not know stops it, rather than being copied unconverted.

Twilio's non-standard `format`s (date-time-rfc-2822, phone-number, currency, ...) are kept as they
are; the test decides which ones it checks.

Usage: scripts/extract-twilio-schemas.py [SPEC] [--check]
  SPEC     path to twilio_api_v2010.json (default: ../shared/reference/twilio/twilio_api_v2010.json
           relative to the repository root); its LICENSE must lie beside it.
  --check  write nothing; exit 1 if the committed files differ from what SPEC gives.
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = REPO_ROOT.parent / "shared" / "reference" / "twilio" / "twilio_api_v2010.json"
OUT_DIR = REPO_ROOT / "crates" / "sim" / "tests" / "spec"
OUT_SCHEMAS = OUT_DIR / "twilio-messages-schemas.json"
OUT_LICENSE = OUT_DIR / "LICENSE-twilio-oai"

# The spec file does not name its own commit, so the commit is recorded here together with the
# file's hash: a different file (a newer spec) must come with its commit (--commit).
SOURCE_REPOSITORY = "twilio/twilio-oai"
SOURCE_PATH = "spec/json/twilio_api_v2010.json"
KNOWN_COMMIT = "d50069b44ea8cd23141385bdb6db48f16ff75bb5"
KNOWN_SHA256 = "99cae87a6bb1725f71363364cbd30282a13140374b2d5f9bdd5bdfa5d4c8a6d7"

# The responses the simulator gives, by Twilio's operationId: (method, path, HTTP status).
OPERATIONS = {
    "CreateMessage": ("post", "/2010-04-01/Accounts/{AccountSid}/Messages.json", "201"),
    "FetchMessage": ("get", "/2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json", "200"),
    "ListMessage": ("get", "/2010-04-01/Accounts/{AccountSid}/Messages.json", "200"),
    "ListIncomingPhoneNumber": (
        "get",
        "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json",
        "200",
    ),
}

# Twilio's response examples of these operations are copied too: the test checks that its stricter
# reading of the schemas still accepts what Twilio itself documents. IncomingPhoneNumbers' example
# is left out because it breaks its own schema (e.g. "sms_application_sid": "" against ^AP...$).
EXAMPLE_OPERATIONS = ("CreateMessage", "FetchMessage", "ListMessage")

# Keywords copied as they are (after converting their subschemas).
PLAIN_KEYWORDS = {"type", "enum", "format", "pattern", "minLength", "maxLength", "minimum",
                  "maximum", "required", "minItems", "maxItems"}
# Keywords that validate nothing.
DROPPED_KEYWORDS = {"description", "title", "example", "examples"}

COMPONENT_PREFIX = "#/components/schemas/"


class ExtractError(Exception):
    pass


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def convert(node, where, wanted):
    """One OpenAPI 3.0 schema object as JSON Schema 2020-12; referenced names go into `wanted`."""
    if not isinstance(node, dict):
        raise ExtractError(f"{where}: a schema must be an object, found {node!r}")
    out = {}
    for key, value in node.items():
        if key in DROPPED_KEYWORDS or key.startswith("x-") or key == "nullable":
            continue
        if key == "$ref":
            if not value.startswith(COMPONENT_PREFIX):
                raise ExtractError(f"{where}: unsupported $ref {value}")
            name = value[len(COMPONENT_PREFIX):]
            wanted.append(name)
            out["$ref"] = "#/$defs/" + name
        elif key == "properties":
            out[key] = {name: convert(sub, f"{where}.{name}", wanted) for name, sub in value.items()}
        elif key == "items":
            out[key] = convert(value, f"{where}[]", wanted)
        elif key == "additionalProperties":
            out[key] = value if isinstance(value, bool) else convert(value, f"{where}{{}}", wanted)
        elif key in PLAIN_KEYWORDS:
            out[key] = value
        else:
            raise ExtractError(f"{where}: keyword {key!r} is not handled by this script")

    if node.get("nullable") is True:
        if "$ref" in out:
            # In OpenAPI 3.0 siblings of $ref are ignored, so only the reference itself can be null.
            out = {"anyOf": [{"$ref": out["$ref"]}, {"type": "null"}]}
        elif "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = types + ([] if "null" in types else ["null"])
            if "enum" in out and None not in out["enum"]:
                out["enum"] = out["enum"] + [None]
        else:
            raise ExtractError(f"{where}: nullable without a type cannot be converted")
    return out


def response_schema(spec, op_id):
    method, path, status = OPERATIONS[op_id]
    try:
        operation = spec["paths"][path][method]
        content = operation["responses"][status]["content"]["application/json"]
    except KeyError as missing:
        raise ExtractError(f"{op_id}: {method.upper()} {path} {status} not in the spec ({missing})")
    if operation.get("operationId") != op_id:
        raise ExtractError(f"{method.upper()} {path} is {operation.get('operationId')!r}, not {op_id}")
    return content["schema"], content.get("examples", {})


def extract(spec, spec_sha256, commit):
    components = spec["components"]["schemas"]
    defs = {}
    operations = {}
    examples = {}
    wanted = []

    for op_id, (method, path, status) in OPERATIONS.items():
        schema, op_examples = response_schema(spec, op_id)
        if "$ref" in schema and len(schema) == 1:
            ref = convert(schema, op_id, wanted)["$ref"]
        else:
            # An inline schema (the list pages) is kept under its title, e.g. ListMessageResponse.
            name = schema.get("title")
            if not name:
                raise ExtractError(f"{op_id}: inline response schema without a title")
            defs[name] = convert(schema, name, wanted)
            ref = "#/$defs/" + name
        operations[op_id] = {
            "method": method.upper(),
            "path": path,
            "status": int(status),
            "schema": {"$ref": ref},
        }
        if op_id in EXAMPLE_OPERATIONS:
            examples[op_id] = {name: ex["value"] for name, ex in op_examples.items()}

    # Copy every component the roots reach, following references inside copied schemas as well.
    while wanted:
        name = wanted.pop(0)
        if name in defs:
            continue
        if name not in components:
            raise ExtractError(f"$ref to missing component {name}")
        defs[name] = convert(components[name], name, wanted)

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": (
            "Generated by scripts/extract-twilio-schemas.py; do not edit by hand. Schemas and "
            "examples extracted from Twilio's OpenAPI spec "
            f"({SOURCE_REPOSITORY}, {SOURCE_PATH}, commit {commit}), which is MIT-licensed, "
            "Copyright (C) 2023, Twilio, Inc.: see LICENSE-twilio-oai beside this file. "
            "OpenAPI 'nullable' is rewritten as a JSON Schema type union; descriptions and "
            "x- extensions are dropped."
        ),
        "x-source": {
            "repository": SOURCE_REPOSITORY,
            "path": SOURCE_PATH,
            "commit": commit,
            "sha256": spec_sha256,
            "openapi": spec.get("openapi"),
            "license": "MIT",
            "copyright": "Copyright (C) 2023, Twilio, Inc.",
            "license_file": OUT_LICENSE.name,
        },
        "x-operations": operations,
        "x-examples": examples,
        "$defs": defs,
    }


def render(document) -> str:
    # Indented with keys in the spec's order, so a refresh shows up as a readable diff.
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the committed files are stale instead of writing them")
    parser.add_argument("--commit", help="twilio-oai commit of SPEC when it is not "
                        f"{KNOWN_COMMIT[:7]}'s file")
    args = parser.parse_args()

    spec_path = args.spec.resolve()
    license_path = spec_path.parent / "LICENSE"
    if not spec_path.is_file() or not license_path.is_file():
        print(f"error: need {spec_path} and {license_path}", file=sys.stderr)
        return 2

    sha = sha256_of(spec_path)
    commit = args.commit
    if commit is None:
        if sha != KNOWN_SHA256:
            print(f"error: {spec_path} is not the file of commit {KNOWN_COMMIT} "
                  f"(sha256 {sha}); pass its commit with --commit", file=sys.stderr)
            return 2
        commit = KNOWN_COMMIT

    try:
        with spec_path.open(encoding="utf-8") as f:
            document = extract(json.load(f), sha, commit)
    except ExtractError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1

    wanted = {
        OUT_SCHEMAS: render(document),
        OUT_LICENSE: license_path.read_text(encoding="utf-8"),
    }
    if args.check:
        stale = [p for p, text in wanted.items()
                 if not p.is_file() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            print(f"stale: {p.relative_to(REPO_ROOT)}", file=sys.stderr)
        if stale:
            print("refresh with: python3 scripts/extract-twilio-schemas.py", file=sys.stderr)
            return 1
        print(f"up to date with {spec_path} ({len(document['$defs'])} schemas)")
        return 0

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for p, text in wanted.items():
        p.write_text(text, encoding="utf-8")
        print(f"wrote {p.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
