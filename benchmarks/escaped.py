"""Accuracy on escaped text, and on MAC addresses whose OUI no registry snapshot holds (issue 15).

    python benchmarks/escaped.py [--datasets synth,datafog,generated] [--variants json,html,csvlog,log]
                                 [--limit N] [--no-baseline] [--skip-mac]

Escaped text: every labeled text of the accuracy datasets (benchmarks/accuracy_data.py) written as a
JSON string inside a log event (`json`: newlines as `\\n`, quotes as `\\"`, non-ASCII as `\\uXXXX`),
HTML-escaped (`html`: `&quot;`, `&#x27;`, `&amp;`, non-ASCII as `&#NNN;`), or as a CSV cell inside a
log line (`csvlog`: quotes doubled, newlines and tabs as `\\n` and `\\t`; `log` is the same log line
with nothing escaped, what csvlog would score if escapes cost nothing); label spans are moved into the
escaped text. MAC: seeded lines with a context word and random OUIs (mostly not in any registry),
and negatives that only look like addresses. Both are scored with the accuracy harness's matching
rule (benchmarks/accuracy_score.py) for three engines:

- `pdscan`: as it is;
- `pdscan-before`: as it was before issue 15, emulated: no escape view, and a universally
  administered MAC whose OUI python-stdnum does not list is dropped;
- `presidio`: plain Presidio.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.accuracy import print_table  # noqa: E402
from benchmarks.accuracy_data import LOADERS, Doc, Span, scored_entities  # noqa: E402
from benchmarks.accuracy_engines import Pdscan, Presidio, detect  # noqa: E402
from benchmarks.accuracy_score import evaluate  # noqa: E402

# ---- escaped variants of the labeled texts --------------------------------------------------


def _json_char(c: str) -> str:
    return json.dumps(c)[1:-1]


def _html_char(c: str) -> str:
    if c == "\n":
        return c
    escaped = html.escape(c, quote=True)
    return escaped if escaped != c or ord(c) < 128 else f"&#{ord(c)};"


def _csv_char(c: str) -> str:
    return {'"': '""', "\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(c, c)


# (prefix, per-character escape, suffix) of each variant
VARIANTS: dict[str, tuple[str, Callable[[str], str], str]] = {
    "json": ('{"level":"info","message":"', _json_char, '"}'),
    "html": ("", _html_char, ""),
    "csvlog": ('2026-11-02 10:00:00,123 INFO export row: 17,"', _csv_char, '",ok'),
    # the control for csvlog: the same log line, nothing escaped (newlines as spaces)
    "log": ('2026-11-02 10:00:00,123 INFO export row: 17,"', lambda c: " " if c == "\n" else c, '",ok'),
}


def escape_doc(doc: Doc, variant: str) -> Doc:
    """The doc's text escaped, its labels moved to the escaped characters they cover."""
    prefix, escape, suffix = VARIANTS[variant]
    at = [len(prefix)]
    pieces = [prefix]
    for c in doc.text:
        piece = escape(c)
        pieces.append(piece)
        at.append(at[-1] + len(piece))
    spans = [Span(s.entity, at[s.start], at[s.end]) for s in doc.spans]
    return Doc(f"{doc.id}/{variant}", "".join(pieces) + suffix, spans, doc.negative)


# ---- MAC addresses ------------------------------------------------------------------------

MAC_LINES = (
    "device MAC {mac}",
    "{ts} hostapd: wlan0: STA {mac} IEEE 802.11: authenticated",
    "{ts} wlc: client {mac} associated to ssid guest",
    "scan result bssid={mac} rssi=-61 channel=6",
    "eth0: flags=4163<UP>  ether {mac}  txqueuelen 1000",
    "eth1      Link encap:Ethernet  HWaddr {mac}",
    "registered device {mac} for user 4411",
    "mac_address: {mac}",
    "{ts} dhcp: lease 10.1.4.7 src_mac={mac}",
    "station {mac} deauthenticated (reason 3)",
    "Wi-Fi client MAC={mac} vlan=20",
)
# Written before looking at the recognizer's filters: hex that is not one device's address.
MAC_NEGATIVES = (
    "{ts} job finished at 12:34:56 after 00:01:02",
    "{ts} uptime 10:20:30:40 days",
    "from fe80::1cbb:41ff:fe33:cbfb%eth0 to 2001:db8:85a3::8a2e:370:7334",
    "peer 2001:0db8:0000:0000:0000:ff00:0042:8329 closed",
    "sha1 fingerprint {hash20}",
    "md5 {hash16}",
    "commit {hex40} merged",
    "token 0x{hex12} expired",
    "id {hex12} created",
    "eui64 {mac}:ff:fe",
    "device mac ff:ff:ff:ff:ff:ff (broadcast)",
    "dst mac {multicast} group join",
    "client mac 01:00:5e:00:00:fb mdns",
    "ipv6 multicast 33:33:00:00:00:01",
    "device mac 00:00:00:00:00:00 not set",
    "version 1.2.3.4.5.6 released",
    "build 2026.1102.0001 deployed",
    "order 12-34-56-789 shipped",
)


def _random_mac(rng: random.Random, kind: str) -> str:
    first = rng.randrange(256)
    if kind == "multicast":
        first |= 1
    else:
        first &= 0xFE
        first = first | 2 if kind == "local" else first & 0xFD
    octets = [first] + [rng.randrange(256) for _ in range(5)]
    style = rng.choice(("colon", "colon", "upper", "dash", "cisco"))
    hexes = [f"{o:02x}" for o in octets]
    if style == "cisco":
        joined = "".join(hexes)
        return ".".join(joined[i : i + 4] for i in range(0, 12, 4))
    text = ("-" if style == "dash" else ":").join(hexes)
    return text.upper() if style in ("upper", "dash") else text


def mac_docs(n: int = 400, seed: int = 15) -> dict[str, list[Doc]]:
    """Lines with a context word and one address each, by kind of address; and negatives."""
    from stdnum import mac as stdmac

    rng = random.Random(seed)
    out: dict[str, list[Doc]] = {"universal": [], "local": [], "negative": []}
    for i in range(n):
        kind = "universal" if i % 4 else "local"
        address = _random_mac(rng, kind)
        line = rng.choice(MAC_LINES)
        ts = f"2026-11-02T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z"
        head, tail = line.split("{mac}")
        head = head.format(ts=ts)
        text = head + address + tail
        out[kind].append(Doc(f"mac-{kind}-{i}", text, [Span("MAC_ADDRESS", len(head), len(head) + len(address))]))
    for i in range(n // 2):
        line = MAC_NEGATIVES[i % len(MAC_NEGATIVES)]
        text = line.format(
            ts=f"2026-11-02T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00Z",
            hash20=":".join(f"{rng.randrange(256):02X}" for _ in range(20)),
            hash16=":".join(f"{rng.randrange(256):02x}" for _ in range(16)),
            hex40="".join(rng.choice("0123456789abcdef") for _ in range(40)),
            hex12="".join(rng.choice("0123456789abcdef") for _ in range(12)),
            mac=_random_mac(rng, "universal").lower().replace("-", ":"),
            multicast=_random_mac(rng, "multicast"),
        )
        out["negative"].append(Doc(f"mac-negative-{i}", text, []))  # no MAC; its IPv6 addresses are not scored
    # how many of the random universal OUIs the registry snapshot happens to list
    listed = sum(stdmac.is_valid(d.text[d.spans[0].start : d.spans[0].end]) for d in out["universal"])
    print(f"MAC set: {len(out['universal'])} universal ({listed} with an OUI python-stdnum lists), "
          f"{len(out['local'])} locally administered, {len(out['negative'])} negatives")  # fmt: skip
    return out


# ---- the engine as it was -----------------------------------------------------------------


class PdscanBefore(Pdscan):
    """pdscan without the escape view, and with the OUI registry as a veto on MAC addresses."""

    name = "pdscan-before"

    @contextmanager
    def _as_before(self):
        from pdscan.detectors import pipeline

        view = pipeline.escapes.view
        pipeline.escapes.view = lambda values: (values, {})
        try:
            yield
        finally:
            pipeline.escapes.view = view

    def run(self, lines: list[str]) -> list[list[Span]]:
        from pdscan.detectors.recognizers.mac_address import _colons, is_registered

        with self._as_before():
            out = super().run(lines)
        return [
            [s for s in spans if s.entity != "MAC_ADDRESS" or is_registered(_colons(lines[i][s.start : s.end]))]
            for i, spans in enumerate(out)
        ]


def _score(engines, docs: list[Doc], scored: list[str]) -> dict:
    results = {}
    for engine in engines:
        per_doc, seconds, chars = detect(engine, docs)
        results[engine.name] = evaluate(docs, per_doc, scored, seconds, chars)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="synth,datafog,generated")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--limit", type=int, help="first N texts of each dataset")
    parser.add_argument("--no-baseline", action="store_true", help="skip plain Presidio")
    parser.add_argument("--skip-mac", action="store_true", help="skip the MAC set")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    pdscan = Pdscan()
    engines = [PdscanBefore(), pdscan] + ([] if args.no_baseline else [Presidio()])
    if not args.skip_mac:
        sets = mac_docs()
        for kind, docs in sets.items():
            print_table(f"MAC {kind}", docs, ["MAC_ADDRESS"], _score(engines, docs, ["MAC_ADDRESS"]), pdscan.entities)
        everything = [d for docs in sets.values() for d in docs]
        results = _score(engines, everything, ["MAC_ADDRESS"])
        print_table("MAC all", everything, ["MAC_ADDRESS"], results, pdscan.entities)
    for name in [n for n in args.datasets.split(",") if n]:
        docs = LOADERS[name](args.limit)
        scored = scored_entities(name, docs)
        for variant in [v for v in args.variants.split(",") if v]:
            escaped = [escape_doc(d, variant) for d in docs]
            print_table(f"{name} / {variant}", escaped, scored, _score(engines, escaped, scored), pdscan.entities)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
