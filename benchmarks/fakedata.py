"""Seeded personal values and look-alikes for the benchmark corpora, from lists of our own.

The detector loads Faker's person-name lists (detectors/names.py), so the names planted here come
from the short lists below, written for this benchmark, never from Faker. Cards, IBANs and SSNs are
built to be valid (python-stdnum check digits, the SSA's rules); phones are checked with
phonenumbers, so a planted value is one a person would call personal data.

The look-alikes (long ids, epoch times, counters, hex ids, versions, class names) are what real
logs are full of; they were written from what logs hold, not from what pdscan's filters reject.
"""

from __future__ import annotations

import random
import string
import uuid

import phonenumbers
from stdnum import iban, luhn

GIVEN = """Amara Bogdan Chiara Dmitri Eilidh Farida Gaspard Hina Ignacio Jolanta Kwame Leilani Mateus
Nkechi Oskar Priya Quentin Rasmus Saoirse Tomasz Ulrike Vikram Wanjiru Ximena Yusuf Zofia Anneliese
Babajide Cosmin Dagny Emeka Fionnuala Giedre Henrik Ilse Joaquim Katarzyna Lorcan Mirela Nadim
Oluwaseun Pavlina Radomir Svetlana Thandiwe Uriel Valentina Wojciech Yevgenia Zainab Aurelio
Brigitte Cormac Delphine Evander Folasade Gunnar Hamid Isolde Jurgen Marisol Teodor Ayesha""".split()
SURNAMES = """Okonkwo Lindqvist Bianchi Vasilescu Castellanos Abernathy Kowalczyk Mbeki Haraldsen
Delacroix Ferreira Novak Oyelaran Petrosyan Quintana Rautio Szabo Urquhart Varga Wierzbicki Yilmaz
Zelenko Achterberg Brannigan Chukwu Dragomir Eriksson Fitzgerald Gallagher Horvath Iwasaki Jablonski
Kuznetsova Lachance Moreau Nwosu O'Sullivan Pellegrini Radcliffe Sandoval Thorsen Ulloa Vukovic
Whitcombe Xiong Zielinski Abiodun Balogun Cavanagh Dimitrov Esposito Fairbanks Hakimi Ivanova
Jovanovic Kerrigan Mensah Olawale Strand Tanaka-Reyes""".split()
MAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com", "fastmail.fm",
                "northwind-traders.com", "brightline.io", "kestrel-health.org")  # fmt: skip
US_AREAS = ("212", "415", "617", "303", "512", "206", "404", "312", "718", "646", "702", "305", "971", "248")

PACKAGES = ("com.example.billing", "com.example.shop.order", "io.acme.payments.gateway", "org.acme.identity.auth",
            "net.contoso.inventory.sync", "com.example.notifications.email")  # fmt: skip
CLASSES = ("InvoiceService", "OrderController", "PaymentProcessor", "TokenRefreshJob", "StockLevelListener",
           "RetryingHttpClient", "SessionRegistry", "ReceiptMailer", "LedgerReconciler", "WebhookDispatcher")  # fmt: skip
FRAMEWORK_CLASSES = (
    "org.springframework.web.servlet.DispatcherServlet", "org.hibernate.engine.jdbc.spi.SqlExceptionHelper",
    "com.zaxxer.hikari.pool.HikariPool", "io.netty.channel.DefaultChannelPipeline",
    "org.apache.kafka.clients.consumer.internals.ConsumerCoordinator", "org.apache.catalina.core.StandardService",
    "reactor.netty.http.server.HttpServerOperations", "software.amazon.awssdk.core.retry.RetryPolicy",
)  # fmt: skip
PY_LOGGERS = ("urllib3.connectionpool", "celery.worker.strategy", "sqlalchemy.engine.Engine", "app.billing.tasks",
              "django.request", "gunicorn.error", "botocore.credentials", "app.signup.views")  # fmt: skip


class Fake:
    """One seeded source of values; every method draws from `self.rng` only."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.epoch_ms = 1_764_374_400_000  # 2025-11-29T00:00:00Z: the clock the logs run on

    # -- personal values -------------------------------------------------------------------------
    def name(self) -> str:
        return f"{self.rng.choice(GIVEN)} {self.rng.choice(SURNAMES)}"

    def email(self, name: str | None = None) -> str:
        first, last = (name or self.name()).lower().replace("'", "").split(" ", 1)
        local = self.rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}_{last}{self.rng.randint(1, 99)}"))
        return f"{local}@{self.rng.choice(MAIL_DOMAINS)}"

    def phone(self, plain: bool = False) -> str:
        """A valid US (mostly) or UK/German number, in one of the ways people write them
        (`plain`: a US number as it stands in a URL, 415-867-2291)."""
        while True:
            kind = 0.0 if plain else self.rng.random()
            if kind < 0.8:
                area, ex, line = self.rng.choice(US_AREAS), self.rng.randint(200, 999), self.rng.randint(0, 9999)
                text = self.rng.choice((f"({area}) {ex}-{line:04d}", f"{area}-{ex}-{line:04d}",
                                        f"+1 {area} {ex} {line:04d}", f"{area}.{ex}.{line:04d}"))  # fmt: skip
                text = f"{area}-{ex}-{line:04d}" if plain else text
                region = "US"
            elif kind < 0.9:
                text, region = f"+44 20 7{self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}", "GB"
            else:
                text, region = f"+49 30 {self.rng.randint(2000000, 99999999)}", "DE"
            if phonenumbers.is_valid_number(phonenumbers.parse(text, region)):
                return text

    def card(self) -> str:
        prefix, length = self.rng.choice((("4", 16), ("51", 16), ("55", 16), ("2221", 16), ("37", 15), ("6011", 16)))
        body = prefix + "".join(self.rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
        number = body + luhn.calc_check_digit(body)
        style = self.rng.random()
        if style < 0.5 or length == 15:
            return number
        sep = " " if style < 0.8 else "-"
        return sep.join(number[i : i + 4] for i in range(0, 16, 4))

    def ssn(self) -> str:
        area = self.rng.choice([a for a in range(1, 900) if a != 666])
        return f"{area:03d}-{self.rng.randint(1, 99):02d}-{self.rng.randint(1, 9999):04d}"

    def iban(self) -> str:
        country = self.rng.choice(("DE", "NL", "GB"))
        if country == "DE":
            bban = "".join(self.rng.choice(string.digits) for _ in range(18))
        else:
            bank = "".join(self.rng.choice(string.ascii_uppercase) for _ in range(4))
            bban = bank + "".join(self.rng.choice(string.digits) for _ in range(10 if country == "NL" else 14))
        number = country + iban.calc_check_digits(country + "00" + bban) + bban
        assert iban.is_valid(number)
        if self.rng.random() < 0.5:
            return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        return number

    # -- look-alikes -----------------------------------------------------------------------------
    def long_id(self) -> str:
        """16-19 digits: snowflake ids, order numbers, Kafka and database sequence values."""
        n = self.rng.randint(16, 19)
        return str(self.rng.randint(1, 9)) + "".join(self.rng.choice(string.digits) for _ in range(n - 1))

    def counter(self) -> str:
        """9-11 digit counters (offsets, inodes, byte totals): phone-shaped, never phones."""
        return str(self.rng.randint(10**8, 10**11))

    def tick(self, upto_ms: int = 250) -> int:
        self.epoch_ms += self.rng.randint(0, upto_ms)
        return self.epoch_ms

    def hex(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def version(self) -> str:
        a, b, c = self.rng.randint(0, 9), self.rng.randint(0, 30), self.rng.randint(0, 200)
        return self.rng.choice(
            (f"{a}.{b}.{c}", f"v{a}.{b}.{c}", f"{a}.{b}.{c}-SNAPSHOT", f"5.15.0-{c}-generic", f"4.1.{c}.Final")
        )

    def class_name(self) -> str:
        if self.rng.random() < 0.4:
            return self.rng.choice(FRAMEWORK_CLASSES)
        return f"{self.rng.choice(PACKAGES)}.{self.rng.choice(CLASSES)}"

    def ipv4(self) -> str:
        r = self.rng
        if r.random() < 0.5:
            return f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        return (
            f"{r.choice((34, 52, 81, 93, 141, 185, 203))}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"
        )

    def pick(self, seq):
        return self.rng.choice(seq)
