#!/usr/bin/env python3
"""Writes the phone-number corpus that crates/core/src/number.rs is measured against, with the
answers of Google's libphonenumber (its Python port, `phonenumbers`, pinned in
tests/official-client/requirements.txt) as the oracle.

Numbers come from the library's own example numbers (mobile and fixed line) of 60 countries,
plus neighbours of each (the last digits changed) and broken ones (a digit dropped or added),
each typed the ways people type them: E.164, spaced, dashed, bracketed, with 00 (where the
default region dials out with 00) or the US exit code 011, with a trunk 0 after the country code, and nationally with the country as the
default region. Every line is: input, default region, then the oracle's E.164 (empty when it
cannot parse the input) and validity (1/0), tab-separated.

    target/venv-official/bin/python scripts/number-oracle.py > crates/core/tests/fixtures/numbers.tsv

tests/official-client checks that the committed file is what the pinned oracle says.
"""

import sys

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

REGIONS = [
    "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "VE", "GB", "IE", "FR", "DE", "IT", "ES",
    "PT", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "PL", "CZ", "HU", "RO", "GR", "TR",
    "RU", "UA", "IL", "SA", "AE", "EG", "NG", "KE", "ZA", "MA", "IN", "PK", "BD", "CN", "HK",
    "TW", "JP", "KR", "SG", "MY", "ID", "TH", "VN", "PH", "AU", "NZ", "IS", "LU", "JM", "PR",
]
TYPES = [PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE]


def numbers_of(region):
    """The example numbers of a region, their neighbours and broken variants, as digit strings
    after the country code."""
    out = []
    for kind in TYPES:
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        national = phonenumbers.national_significant_number(example)
        code = example.country_code
        variants = [national]
        # Neighbours: the same range, other subscribers.
        for tail in ("0", "7", "35"):
            variants.append(national[: -len(tail)] + tail)
        # Broken: a digit short, a digit too many.
        variants.append(national[:-1])
        variants.append(national + "4")
        for v in variants:
            if (code, v) not in out:
                out.append((code, v))
    return out


def dresses(code, national, region):
    """(input, default region) pairs: the ways a person types this number."""
    number = phonenumbers.parse(f"+{code}{national}", None)
    intl = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    nat = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    # INTERNATIONAL keeps the digits whole when the number fits no format; fine as it is.
    rest = intl.split(" ", 1)[1] if " " in intl else national
    groups = rest.replace("-", " ").split(" ")
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    trunk = meta.national_prefix if meta is not None else None
    out = [
        (f"+{code}{national}", "US"),
        (intl, "US"),
        (intl, "GB"),
        (f"+{code}-" + "-".join(groups), "US"),
        (f"00{code} {rest}", "GB"),
        (f"00 {code} {rest}", "DE"),
        (f"011 {code} {rest}", "US"),
        (f"+{code} ({groups[0]}) " + " ".join(groups[1:]), "US"),
        (f"+{code}.{'.'.join(groups)}", "US"),
        (nat, region),
    ]
    if trunk:
        out.append((f"+{code} ({trunk}){rest}", "US"))
        out.append((f"+{code} {trunk}{rest}", "US"))
    return [(text.strip(), r) for text, r in out]


def oracle(text, region):
    """The oracle's E.164 ('' when it cannot parse) and validity."""
    try:
        n = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return "", 0
    return phonenumbers.format_number(n, PhoneNumberFormat.E164), int(phonenumbers.is_valid_number(n))


def main():
    seen = set()
    lines = [f"# phonenumbers {phonenumbers.__version__}: input, region, e164, valid"]
    for region in REGIONS:
        for code, national in numbers_of(region):
            for text, default in dresses(code, national, region):
                if (text, default) in seen:
                    continue
                seen.add((text, default))
                e164, valid = oracle(text, default)
                lines.append(f"{text}\t{default}\t{e164}\t{valid}")
    sys.stdout.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
