#!/usr/bin/env python3
"""Verify a Countersign audit export (JSON Lines) without Countersign: Python's standard library only.

Usage:
    verify_audit.py EXPORT.jsonl --key-file countersign.db.keys
    verify_audit.py EXPORT.jsonl --key 2026-03=BASE64KEY [--key ID=BASE64KEY ...]
    verify_audit.py EXPORT.jsonl ... --head SEQUENCE:MAC      (also check the chain ends where you expect)

Exit codes: 0 the chain verifies; 1 it does not (the first broken line is printed); 2 bad usage or input.

The rules are those of docs/audit.md, "The chain": each entry's canonical bytes are RFC 8785 (JCS) JSON of
{"entry": <the entry's fields that are not null>, "key_id": ..., "sequence": ...}, and
mac = hex(HMAC-SHA256(key[key_id], ascii(prev_mac) || canonical bytes)), the first prev_mac being 64 zeros.
"""

import argparse
import base64
import hashlib
import hmac
import json
import math
import sys

GENESIS = "0" * 64
CHAIN_FIELDS = ("sequence", "key_id", "prev_mac", "mac")


class Broken(Exception):
    pass


# --- RFC 8785 -------------------------------------------------------------------------------------------------

def jcs(value):
    """Returns the RFC 8785 canonical UTF-8 bytes of a parsed JSON value."""
    return _jcs(value).encode("utf-8")


def _jcs(value):
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (int, float)):
        return _number(float(value))
    if isinstance(value, list):
        return "[" + ",".join(_jcs(item) for item in value) + "]"
    if isinstance(value, dict):
        # Members sorted by the UTF-16 code units of their names.
        names = sorted(value, key=lambda name: name.encode("utf-16-be"))
        return "{" + ",".join(_string(name) + ":" + _jcs(value[name]) for name in names) + "}"
    raise Broken("unexpected JSON value %r" % (value,))


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _string(text):
    out = ['"']
    for ch in text:
        if ch in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[ch])
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            raise Broken("a string holds a lone surrogate")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _number(x):
    """ECMAScript Number.prototype.toString for a finite double."""
    if math.isnan(x) or math.isinf(x):
        raise Broken("NaN and infinity have no JSON form")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr gives the shortest digits that round-trip, as ECMAScript requires; split them into digits and exponent.
    mantissa, _, exponent = repr(abs(x)).partition("e")
    integer, _, fraction = mantissa.partition(".")
    digits = (integer + fraction).lstrip("0")
    n = len(integer) + (int(exponent) if exponent else 0) - (len(integer + fraction) - len((integer + fraction).lstrip("0")))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + text


def _refuse_duplicates(pairs):
    result = {}
    for name, value in pairs:
        if name in result:
            raise Broken("the member %r appears twice" % name)
        result[name] = value
    return result


# --- The chain ------------------------------------------------------------------------------------------------

def load_keys(args):
    keys = {}
    if args.key_file:
        with open(args.key_file, "rb") as handle:
            document = json.load(handle)
        for key_id, key in document["audit_chain"]["keys"].items():
            keys[key_id] = base64.b64decode(key)
    for pair in args.key or []:
        key_id, sep, key = pair.partition("=")
        if not sep:
            raise SystemExit("--key takes ID=BASE64KEY, got %r" % pair)
        keys[key_id] = base64.b64decode(key)
    if not keys:
        raise SystemExit("give the audit chain's keys with --key-file or --key")
    return keys


def verify(lines, keys, head=None):
    previous_mac = GENESIS
    expected_sequence = 1
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, object_pairs_hook=_refuse_duplicates, parse_float=float, parse_int=int)
        except (ValueError, Broken) as error:
            raise Broken("line %d is not a JSON object: %s" % (number, error))
        if not isinstance(record, dict) or any(field not in record for field in CHAIN_FIELDS):
            raise Broken("line %d lacks the chain fields %s" % (number, ", ".join(CHAIN_FIELDS)))
        sequence = record["sequence"]
        if sequence != expected_sequence:
            raise Broken("line %d has sequence %s where %d was expected (an entry was removed, added or moved)"
                         % (number, sequence, expected_sequence))
        if record["prev_mac"] != previous_mac:
            raise Broken("entry %d does not link to the entry before it" % sequence)
        key = keys.get(record["key_id"])
        if key is None:
            raise Broken("entry %d was MACed with key %r, which was not given" % (sequence, record["key_id"]))
        entry = {name: value for name, value in record.items() if name not in CHAIN_FIELDS and value is not None}
        canonical = jcs({"entry": entry, "key_id": record["key_id"], "sequence": sequence})
        mac = hmac.new(key, previous_mac.encode("ascii") + canonical, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(mac, record["mac"]):
            raise Broken("entry %d does not match its MAC (it was edited, or forged without the key)" % sequence)
        previous_mac = mac
        expected_sequence += 1
        count += 1
    if head is not None:
        head_sequence, _, head_mac = head.partition(":")
        if int(head_sequence) != count or head_mac != previous_mac:
            raise Broken("the chain ends at entry %d, not at the expected head %s (entries were cut off or added)"
                         % (count, head))
    return count


def main(argv=None):
    parser = argparse.ArgumentParser(description="Verify a Countersign audit export (JSON Lines).")
    parser.add_argument("export", help="the export file, or - for standard input")
    parser.add_argument("--key-file", help="the store's key file (for SQLite: the database path + .keys)")
    parser.add_argument("--key", action="append", help="an audit chain key as ID=BASE64KEY; repeatable")
    parser.add_argument("--head", help="the expected last entry as SEQUENCE:MAC")
    args = parser.parse_args(argv)
    try:
        keys = load_keys(args)
        handle = sys.stdin if args.export == "-" else open(args.export, encoding="utf-8")
        with handle:
            count = verify(handle, keys, args.head)
    except Broken as error:
        print("BROKEN: %s" % error)
        return 1
    except (OSError, ValueError, KeyError) as error:
        print("error: %s" % error, file=sys.stderr)
        return 2
    print("OK: %d entries verify" % count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
