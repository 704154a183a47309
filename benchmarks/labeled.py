"""A seeded, labeled set for the entities the public datasets lack (EIN, routing and account
numbers, MAC, IPv6, user agents, dates of birth, ITIN), plus look-alike negatives.

    from benchmarks.labeled import generate
    items = generate(n=600, seed=1)  # [{"full_text", "spans": [{entity_type, entity_value, start_position, end_position}], ...}]

Same shape as presidio-research's synth_dataset_v2.json. Texts are support tickets, forms,
logs and e-mails; every personal value that a template inserts is labeled (names, e-mail,
phone and company too), so every finding of a labeled entity can be scored.
"""

from __future__ import annotations

import ipaddress
import random
import re
from collections.abc import Callable
from datetime import date, timedelta

from stdnum.us import ein, itin, rtn

# Entities that `generate` labels: the scorer treats findings of these as FP when unlabeled.
ENTITIES = (
    "US_EIN", "ABA_ROUTING_NUMBER", "US_BANK_NUMBER", "MAC_ADDRESS", "IP_ADDRESS", "USER_AGENT",
    "DATE_OF_BIRTH", "US_ITIN", "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "ORGANIZATION",
)  # fmt: skip

# Entities that no generated text holds: every finding of them is a false positive.
ABSENT = ("US_SSN", "CREDIT_CARD", "IBAN_CODE", "STREET_ADDRESS")

POSITIVE = (
    # tax ids: EIN, ITIN
    "Vendor onboarding: W-9 received from {company}, EIN {ein}. Remit payments to {email}.",
    "Business license application\nLegal name: {company}\nFEIN: {ein}\nContact: {name}, {phone}",
    "Hi, the 1099 you sent lists the wrong employer identification number. Ours is {ein}, not {ein2}. Thanks, {name}",
    "Please update the tax ID on file for {company} to {ein} before the next payment run.",
    "Form SS-4 confirmation: the IRS assigned Employer ID Number {ein} to {company} on {date}.",
    "payer: {company} | payer TIN: {ein} | recipient: {name} | box 1: ${amount}",
    "ITIN {itin} was issued to {name} after the W-7 review; file the return by April 15.",
    "Applicant has no SSN. Individual Taxpayer Identification Number: {itin}\nName: {name}\nPhone: {phone}",
    "Ticket {ticket}: customer {name} asks why the portal rejects ITIN {itin} at sign-up.",
    "Taxpayer ID (ITIN) {itin} expires at the end of the year unless it is renewed; reminder sent to {email}.",
    # routing and account numbers
    "Direct deposit form\nEmployee: {name}\nBank routing number: {aba}\nAccount number: {acct}\nType: checking",
    "Please send the refund by ACH to routing number {aba}, account {acct}. Regards, {name}",
    "Wire instructions: ABA {aba} / Acct # {acct} / Beneficiary {name}",
    "ACH return R03 on account {acct} (RTN {aba}): no account, unable to locate. Notify {email}.",
    "{name} changed the payroll bank today: new routing {aba}, new checking account number {acct}.",
    "Your savings account {acct} was debited ${amount} on {date}. Questions? Call {phone}.",
    "Customer reports duplicate charge on bank account no. {acct}; case assigned to {name}.",
    "Hello, I closed my old account {acct} last month, please stop pulling from it. {name}",
    "{date} 09:12:44 billing INFO autopay set up for {email}: routing={aba} account={acct}",
    # network identities: MAC, IPv6, user agents
    "{ts} dhcpd[{pid}]: DHCPACK on {ipv4} to {mac} ({host}) via eth0",
    "Please whitelist my laptop's MAC address {mac} on the guest Wi-Fi. Thanks, {name}",
    "   Physical Address. . . . . . . . . : {mac_dash}\n   IPv6 Address. . . . . . . . . . . : {ipv6}",
    "{ts} wlc: client {mac} roamed from AP-3 to AP-7, rssi -67 dBm",
    " {vlan}    {mac_cisco}    DYNAMIC     Gi1/0/{iface}",
    "Asset tag {asset} assigned to {name}: MAC {mac}, hostname {host}.",
    "{ts} sshd[{pid}]: Accepted publickey for {svc} from {ipv6} port {port} ssh2",
    "{ts} sshd[{pid}]: Failed password for invalid user admin from {ipv6} port {port} ssh2",
    '{ipv6} - - [{clf}] "GET /account/settings HTTP/1.1" 200 {bytes} "-" "{ua}"',
    '{ipv4} - - [{clf}] "POST /api/login HTTP/1.1" 401 {bytes} "https://app.example.com/" "{ua}"',
    "New sign-in to your account from {ipv6}\nBrowser: {ua}\nIf this wasn't you, reply to this e-mail.",
    "Bug report from {name}: the checkout page freezes.\nUser-Agent: {ua}\nSteps: add item, click pay.",
    '{{"event": "login", "user": "{email}", "ip": "{ipv6}", "user_agent": "{ua}"}}',
    "{ts} fw DROP src={ipv6} proto=TCP dport=443 after 5 failed logins",
    # dates of birth
    "Patient {name}, DOB: {dob}, presented with a sprained ankle. Follow-up on {date}.",
    "{name} was born on {dob_long} in {city} and joined the team in {year}.",
    "Patient intake\nName: {name}\nDate of birth: {dob}\nPhone: {phone}\nInsurance: {company}",
    "To reset the password please confirm your date of birth ({dob}) and the e-mail on file, {email}.",
    "Member {name} (dob {dob_iso}) requested a copy of their records.",
    "I was born on {dob_long}, so I should qualify for the senior discount. {name}",
    "Applicant: {name} | DOB {dob} | SSN on file: no | Phone {phone}",
)
# Look-alike negatives: numbers as tickets, invoices, logs and forms hold them, none of them
# personal. Written from what such texts contain, before and without reading the detector's filters.
NEGATIVE = (
    "Hi, order #{order} still says processing after {n1} days and tracking {usps} has not moved since {date}. Can you check?",
    "Invoice {inv}\nSubtotal: ${amount}\nSales tax: ${amount}\nTotal due: ${amount}\nTerms: Net 30",
    "{ts} INFO  [consumer-{n2}] committed offset {counter} on partition {n2} of topic orders.v{n1}",
    "The badge reader in room {room} is offline again; IT helpdesk is ext. {ext}, or dial {ext} from any desk phone.",
    "Firmware {version} (build {n5}) sha256 {sha256} uploaded to the mirror at {ts}.",
    "Parcel {ship} left the sort center, ZIP+4 {zip4}, at {clock}; {n3} parcels on pallet {pallet}.",
    "error 0x{hex8} at offset {counter}, retrying in {ms} ms (attempt {n1} of 9)",
    "Refund of ${amount} for RMA {rma} was approved; the credit shows within 5-7 business days.",
    "Quote Q-{year}-{n5}: {n3} units at ${amount} each, valid until {date}.",
    "Build #{n4} passed: {n3} tests, {n2} skipped, coverage {pct}%. Artifact CRC32 {hex8}.",
    "Your verification code is {n6}. It expires in 10 minutes.",
    "Table events_{year}q{q} has {counter} rows; vacuum took {ms} ms; oldest xid {n10}.",
    "{syslog} kernel: [{uptime}] EXT4-fs (sda{n1}): mounted filesystem with ordered data mode",
    "Lot {lot} expires {date}; NDC {ndc}; store below 25 C.",
    "Part no. {part} rev {rev}, qty {n3}, bin {bin}, reorder point {n2}.",
    "Price of SKU {sku} changed from ${amount} to ${amount} on {date}.",
    "Case {case} escalated to tier 2; SLA deadline {ts}; priority P{n1}.",
    "docker pull registry.internal/api@sha256:{sha256} took {ms} ms ({n3} MB)",
    "Payment batch {batch} settled: {n3} transactions, ${amount} gross, ${amount} in fees.",
    "Check #{n4} for ${amount} cleared on {date}.",
    "Update KB{n7} installed on {n3} servers; reboot pending on {n2}.",
    "Order contains ISBN {isbn} x{n1} and UPC {upc} x{n1}.",
    "Pump P-{n2} ran {n5} hours since the last service; next service due at {n5} hours.",
    "p50 {ms} ms, p99 {ms} ms, {n4} req/s, error rate 0.{n3}% over the last {n2} minutes",
    "Postage ${amount}, weight {n2} oz, zone {n1}, barcode {imb}",
    "Purchase order\nPO number: {po}\nCost center: {n4}\nGL account: {gl}\nAmount: ${amount}\nApproved: yes",
    '{{"order_id": {order}, "amount_cents": {n5}, "currency": "USD", "created": {epoch}, "items": {n1}}}',
    "Backup {stamp} finished: {counter} bytes in {n4} files, {n2} skipped.",
    "Mileage at drop-off {n5}, at pick-up {n5}; fuel {pct}%; stall {bin}.",
    "Conference bridge {bridge}, then press # twice. Agenda: Q{q} numbers, version {version} rollout.",
    "Ticket {ticket} merged into {ticket}; see also build {sha} and job {n8}.",
    "Received {n3} of {n3} cartons against ASN {asn} at dock {n1}, {clock}.",
)

# Registered OUIs (Apple, Intel, Cisco), as python-stdnum's registry knows them.
_OUIS = (
    "3C22FB",
    "F0D1A9",
    "A4D18C",
    "BC9FEF",
    "7CD1C3",
    "F4F951",
    "3CF862",
    "A0A8CD",
    "F8FE5E",
    "8086F2",
    "0CD292",
    "00000C",
)
_V6_PREFIXES = ((0x2001, 0x0DB8), (0x2A02, 0x26F0), (0x2607, 0xF8B0), (0x2600, 0x1700), (0x2403, 0x6200))
# Names of people and firms come from these lists, never from Faker: the detector loads the name
# lists of every Faker locale (pdscan.detectors.names), so a Faker name would be found by
# construction. Real names from many languages that no Faker locale lists (case-folded, as given
# names or surnames); tests/benchmarks/test_accuracy_harness.py holds them disjoint from what the detector loads.
GIVEN = """Eilidh Hina Nkechi Vikram Babajide Giedre Oluwaseun Pavlina Radomir Yevgenia Folasade Chidinma
Tendai Tatenda Sipho Thabo Kagiso Kipchoge Tigist Selam Meseret Yonas Aigerim Bakhyt Dinara Rustam
Gulnara Zhanna Altynai Bolat Saltanat Tsering Dorji Pema Sonam Thuy Nguyet Phuong Siosaia Losana
Tevita Kaimana Keoni Noelani Rangi Mihi Ikaika Morwenna Rhodri Gethin Ffion Cerys Iolo Aled Sioned
Vaclav Ozan Gokhan Ipek Sevgi Tuncay Aslihan Ebru Oyinkansola Temitope Olamide Ifeoluwa Ebere Tumelo
Palesa Refilwe Lerato Zanele Nandi Mpho Bongani Themba Efua Dawit Tsion Hiwot Mulugeta Bereket Ermias
Nardos Azamat Yerlan Daulet Askar Aizhan Gaukhar Nursultan Zhibek Ainur Kanat""".split()
SURNAMES = """Oyelaran Vasilescu Kowalczyk Mbeki Haraldsen Delacroix Petrosyan Szabo Urquhart Wierzbicki
Zelenko Achterberg Brannigan Dragomir Horvath Iwasaki Jablonski Kuznetsova Radcliffe Vukovic Whitcombe
Zielinski Dimitrov Fairbanks Hakimi Ivanova Chukwuma Onyekachi Moyo Tshabalala Bekele Tesfaye
Gebremedhin Alemu Nurmagambetov Abenov Seitkali Wangchuk Tshering Fifita Taufa Havili Kahananui
Kealoha Kamakau Ngata Parata Tawhiri Ruatapu Fforde Prys Jankovic Stojanovic Dvorak Prochazka Vesely
Blazek Hrabal Ozturk Quarrington Featherstonehaugh Ravenscroft Ashdown Thornbury Witherspoon Okonjo
Adebayo Babatunde Akinola Oladipo Olatunji Ezeani Ugwu Nnadi Agyeman Quaye Amoah Tadesse Girma Haile
Wolde Mekonnen Assefa Kebede Abebe Zhaksylykov Omarov Bekov Suleimenov Karimov Thistlethwaite
Grimshaw Haworth Entwistle Ackroyd Sowerby Pickersgill Scaife Rimmer""".split()
# Faker's en_US company formats, filled from SURNAMES.
_FIRMS = ("{0} {s}", "{0}-{1}", "{0}, {1} and {2}")
_FIRM_SUFFIXES = ("Inc", "and Sons", "LLC", "Group", "PLC", "Ltd")

_AREA_CODES = (201, 212, 213, 305, 312, 347, 404, 415, 503, 512, 602, 617, 646, 702, 713, 718, 773, 801, 858, 919, 972)
_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y", "%d %b %Y", "%B %d, %Y")


def _fields(fake, rng: random.Random) -> dict[str, Callable[[], tuple[str | None, str]]]:
    """Placeholder -> (entity or None for unlabeled filler, value)."""

    def digits(k: int) -> str:
        return str(rng.randint(10 ** (k - 1), 10**k - 1))

    def valid(make: Callable[[], str], check) -> str:
        while not check(value := make()):
            pass
        return value

    def birth() -> date:
        return date(1940, 1, 1) + timedelta(days=rng.randint(0, 365 * 65))

    def some_day() -> date:
        return date(2024, 1, 1) + timedelta(days=rng.randint(0, 1000))

    def mac(sep: str, upper: bool) -> str:
        """A device's address: a vendor's OUI, or a randomized (locally administered) unicast one."""
        if rng.random() < 0.7:
            prefix = rng.choice(_OUIS)
            octets = [prefix[i : i + 2].lower() for i in (0, 2, 4)] + [f"{rng.randint(0, 255):02x}" for _ in range(3)]
        else:
            octets = [f"{rng.randint(0, 255) & 0xFC | 0x02:02x}"] + [f"{rng.randint(0, 255):02x}" for _ in range(5)]
        text = sep.join(octets)
        return text.upper() if upper else text

    def ipv6() -> str:
        kind = rng.random()
        if kind < 0.4:
            return fake.ipv6()
        if kind < 0.7:
            a, b, c, d = rng.randint(0, 0xFFFF), rng.randint(0, 0xFF), rng.randint(0, 0xFF), rng.randint(0, 0xFFFF)
            return f"fe80::{a:x}:{b:x}ff:fe{c:02x}:{d:x}"  # EUI-64 link-local
        groups = [*rng.choice(_V6_PREFIXES), *(rng.randint(0, 0xFFFF) for _ in range(6))]
        for i in range(rng.randint(3, 5), 7):
            groups[i] = 0
        return str(ipaddress.IPv6Address(":".join(f"{g:x}" for g in groups)))

    def phone() -> str:
        area, exchange, line = rng.choice(_AREA_CODES), rng.randint(201, 989), rng.randint(0, 9999)
        return rng.choice(("({}) {}-{:04d}", "{}-{}-{:04d}", "+1 {}.{}.{:04d}")).format(area, exchange, line)

    def firm() -> str:
        return rng.choice(_FIRMS).format(*rng.sample(SURNAMES, 3), s=rng.choice(_FIRM_SUFFIXES))

    ts = lambda: f"{some_day():%Y-%m-%d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"  # noqa: E731
    return {
        "name": lambda: ("PERSON", f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"),
        "email": lambda: ("EMAIL_ADDRESS", fake.email()),
        "phone": lambda: ("PHONE_NUMBER", phone()),
        "company": lambda: ("ORGANIZATION", firm()),
        "ein": lambda: ("US_EIN", valid(fake.ein, ein.is_valid)),
        "ein2": lambda: ("US_EIN", valid(fake.ein, ein.is_valid)),
        "itin": lambda: ("US_ITIN", valid(fake.itin, itin.is_valid)),
        "aba": lambda: ("ABA_ROUTING_NUMBER", valid(fake.aba, rtn.is_valid)),
        "acct": lambda: ("US_BANK_NUMBER", digits(rng.randint(8, 17))),
        "mac": lambda: ("MAC_ADDRESS", mac(":", rng.random() < 0.3)),
        "mac_dash": lambda: ("MAC_ADDRESS", mac("-", True)),
        "mac_cisco": lambda: ("MAC_ADDRESS", re.sub(r"(....)(?=.)", r"\1.", mac("", False))),
        "ipv6": lambda: ("IP_ADDRESS", ipv6()),
        "ipv4": lambda: ("IP_ADDRESS", fake.ipv4_public()),
        # Faker's Firefox agents carry "Gecko/<a random timestamp>"; real ones say Gecko/20100101.
        "ua": lambda: ("USER_AGENT", _GECKO.sub("Gecko/20100101", fake.user_agent())),
        "dob": lambda: ("DATE_OF_BIRTH", birth().strftime(rng.choice(_DATE_FORMATS))),
        "dob_long": lambda: ("DATE_OF_BIRTH", birth().strftime(rng.choice(("%B %d, %Y", "%d %B %Y")))),
        "dob_iso": lambda: ("DATE_OF_BIRTH", f"{birth():%Y-%m-%d}"),
        # unlabeled filler, some of it shaped like the entities above
        "date": lambda: (None, some_day().strftime(rng.choice(_DATE_FORMATS))),
        "ts": lambda: (None, ts()),
        "clf": lambda: (None, f"{some_day():%d/%b/%Y}:{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:07 +0000"),
        "epoch": lambda: (None, str(rng.randint(1_700_000_000, 1_800_000_000))),
        "stamp": lambda: (None, f"{some_day():%Y%m%d}{rng.randint(0, 235959):06d}"),
        "year": lambda: (None, str(rng.randint(2015, 2026))),
        "amount": lambda: (None, f"{rng.randint(5, 9999)}.{rng.randint(0, 99):02d}"),
        "ticket": lambda: (None, f"#{digits(6)}"),
        "order": lambda: (None, digits(9)),
        "po": lambda: (None, f"{rng.randint(10, 99)}-{digits(7)}"),
        "n6": lambda: (None, digits(6)),
        "n8": lambda: (None, digits(8)),
        "track": lambda: (None, fake.bothify("??##########", letters="ABCDEFGHJKLMNPRSTUVWXYZ")),
        "version": lambda: (None, f"{rng.randint(1, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 300)}"),
        "sha": lambda: (None, fake.sha1()[:7]),
        "uuid": lambda: (None, fake.uuid4()),
        "md5": lambda: (None, ":".join(re.findall("..", fake.md5()))),
        "serial": lambda: (None, fake.bothify("SN-####-????-####", letters="ABCDEFX")),
        "ms": lambda: (None, str(rng.randint(3, 9000))),
        "bytes": lambda: (None, str(rng.randint(200, 90000))),
        "pid": lambda: (None, str(rng.randint(300, 65000))),
        "port": lambda: (None, str(rng.randint(1024, 65535))),
        "vlan": lambda: (None, str(rng.randint(1, 400))),
        "iface": lambda: (None, str(rng.randint(1, 48))),
        "asset": lambda: (None, f"IT-{digits(5)}"),
        "host": lambda: (None, f"{rng.choice(['laptop', 'ws', 'printer', 'pos'])}-{rng.randint(1, 999):03d}"),
        "svc": lambda: (None, rng.choice(["deploy", "git", "backup", "ubuntu", "ci"])),
        "city": lambda: (None, fake.city()),
        # the negatives' filler
        "n1": lambda: (None, str(rng.randint(2, 9))),
        "q": lambda: (None, str(rng.randint(1, 4))),
        "n2": lambda: (None, str(rng.randint(10, 99))),
        "n3": lambda: (None, str(rng.randint(100, 999))),
        "n4": lambda: (None, digits(4)),
        "n5": lambda: (None, digits(5)),
        "n7": lambda: (None, digits(7)),
        "n10": lambda: (None, digits(10)),
        "pct": lambda: (None, f"{rng.randint(40, 99)}.{rng.randint(0, 9)}"),
        "usps": lambda: (None, " ".join(["9400", *(digits(4) for _ in range(4)), digits(2)])),
        "inv": lambda: (None, f"{rng.choice(['INV', 'IN', 'SI'])}{rng.randint(2015, 2026)}{digits(6)}"),
        "counter": lambda: (None, str(rng.randint(10**8, 10**12))),
        "room": lambda: (None, f"{rng.randint(1, 9)}{rng.randint(0, 3)}{rng.randint(0, 9)}"),
        "ext": lambda: (None, digits(4)),
        "sha256": lambda: (None, fake.sha256()),
        "ship": lambda: (None, f"{digits(4)} {digits(4)} {digits(4)}"),
        "zip4": lambda: (None, f"{rng.randint(10000, 99950)}-{digits(4)}"),
        "clock": lambda: (None, f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"),
        "pallet": lambda: (None, f"PLT{digits(8)}"),
        "hex8": lambda: (None, f"{rng.getrandbits(32):08X}"),
        "rma": lambda: (None, f"RMA-{digits(6)}"),
        "syslog": lambda: (
            None,
            f"{some_day():%b %d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d} srv{rng.randint(1, 40):02d}",
        ),
        "uptime": lambda: (None, f"{rng.randint(0, 99999):>5}.{digits(6)}"),
        "lot": lambda: (None, f"{rng.choice('ABCDKLMX')}{digits(5)}"),
        "ndc": lambda: (None, f"{digits(5)}-{digits(3)}-{digits(2)}"),
        "part": lambda: (None, f"{digits(3)}-{digits(5)}-{rng.randint(10, 99)}"),
        "rev": lambda: (None, rng.choice("ABCDEFG")),
        "bin": lambda: (None, f"{rng.choice('ABCDEF')}{rng.randint(1, 40):02d}-{rng.randint(1, 9)}"),
        "sku": lambda: (None, f"{digits(3)}-{digits(3)}-{digits(3)}"),
        "case": lambda: (None, f"{digits(8)}"),
        "batch": lambda: (None, f"{some_day():%Y%m%d}-{digits(3)}"),
        "isbn": lambda: (None, _isbn13(rng)),
        "upc": lambda: (None, _upc(rng)),
        "imb": lambda: (None, digits(20)),
        "gl": lambda: (None, f"{digits(4)}-{digits(3)}-{digits(2)}"),
        "bridge": lambda: (None, f"{digits(3)} {digits(3)} {digits(3)}"),
        "asn": lambda: (None, f"ASN{digits(9)}"),
    }


def _isbn13(rng: random.Random) -> str:
    body = "978" + "".join(rng.choice("0123456789") for _ in range(9))
    check = (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body)) % 10) % 10
    return f"{body[:3]}-{body[3]}-{body[4:8]}-{body[8:]}-{check}"


def _upc(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789") for _ in range(11))
    check = (10 - (3 * sum(map(int, body[0::2])) + sum(map(int, body[1::2]))) % 10) % 10
    return body + str(check)


_GECKO = re.compile(r"Gecko/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+")
_PLACEHOLDER = re.compile(r"\{(\w+)\}|\{\{|\}\}")


def render(template: str, fields: dict[str, Callable[[], tuple[str | None, str]]]) -> tuple[str, list[dict]]:
    """Fill `template` (str.format syntax), returning the text and one span per labeled value."""
    out: list[str] = []
    spans: list[dict] = []
    pos = 0
    size = 0
    for m in _PLACEHOLDER.finditer(template):
        literal = template[pos : m.start()]
        out.append(literal)
        size += len(literal)
        pos = m.end()
        if m.group(1) is None:  # an escaped brace
            out.append(m.group()[0])
            size += 1
            continue
        entity, value = fields[m.group(1)]()
        if entity:
            spans.append(
                {
                    "entity_type": entity,
                    "entity_value": value,
                    "start_position": size,
                    "end_position": size + len(value),
                }
            )
        out.append(value)
        size += len(value)
    out.append(template[pos:])
    return "".join(out), spans


def generate(n: int = 600, seed: int = 1, negative_share: float = 0.2) -> list[dict]:
    """`n` labeled texts; the same (n, seed) gives the same texts with the same Faker version."""
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    fields = _fields(fake, rng)
    items = []
    for i in range(n):
        negative = rng.random() < negative_share
        pool = NEGATIVE if negative else POSITIVE
        template_id = rng.randrange(len(pool))
        text, spans = render(pool[template_id], fields)
        items.append({
            "id": f"gen-{i}",
            "full_text": text,
            "spans": spans,
            "template_id": f"{'neg' if negative else 'pos'}-{template_id}",
            "negative": negative,
        })  # fmt: skip
    return items
