"""One function per log format people run; each returns the lines (lists of parts) of one record.

`pii=True` asks for a record with a planted personal value (upper-case Tag); every record carries
the look-alikes its format really holds (lower-case Tags): request and trace ids, UUIDs, epoch
milliseconds, 16-19 digit ids, counters, versions, class names. Levels are upper case.
"""

from __future__ import annotations

from datetime import UTC, datetime

from benchmarks.fakedata import CLASSES, PY_LOGGERS, Fake
from benchmarks.logparts import Num, Tag, Text, json_parts

UAS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "curl/8.4.0", "kube-probe/1.28", "Go-http-client/1.1", "okhttp/4.12.0", "python-requests/2.31.0",
)  # fmt: skip
HOSTS = ("web-01", "web-02", "api-gw-3", "db-primary", "worker-7", "bastion")
THREADS = ("http-nio-8080-exec-7", "main", "scheduling-1", "kafka-coordinator-heartbeat-thread | orders",
           "HikariPool-1 housekeeper", "reactor-http-epoll-2", "ForkJoinPool.commonPool-worker-3")  # fmt: skip
LEVELS = ("INFO",) * 12 + ("DEBUG",) * 4 + ("WARN",) * 2 + ("ERROR",)


def _time(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def iso(ms: int) -> str:
    return _time(ms).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def iso_ns(ms: int, f: Fake) -> str:
    return _time(ms).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}{f.rng.randint(0, 999999):06d}Z"


def access(f: Fake, pii: bool) -> list[list]:
    """Nginx/Apache combined log format, with nginx's request time and request id appended."""
    ms, r = f.tick(40), f.rng
    when = _time(ms).strftime("[%d/%b/%Y:%H:%M:%S +0000]")
    if pii:
        path = r.choice((["/account/verify?email=", Tag("EMAIL_ADDRESS", f.email())],
                         ["/api/v1/users/lookup?phone=", Tag("PHONE_NUMBER", f.phone(plain=True))]))  # fmt: skip
    else:
        path = r.choice((["/api/v2/orders/", Tag("long_id", f.long_id())], ["/api/v1/sessions/", Tag("uuid", f.uuid())],
                         ["/static/js/app.", Tag("hex_id", f.hex(8)), ".js"], ["/healthz"],
                         ["/api/v3/events?since=", Tag("epoch_ms", str(ms - 60_000))],
                         ["/track?cid=", Tag("uuid", f.uuid()), "&ts=", Tag("epoch_ms", str(ms))],
                         ["/products/trail-running-shoes?page=", str(r.randint(1, 9))]))  # fmt: skip
    status = r.choice((200,) * 8 + (201, 204, 301, 304, 404, 500, 503))
    return [[f.ipv4(), " - - ", when, ' "', r.choice(("GET", "GET", "POST", "PUT")), " ", *path, ' HTTP/1.1" ',
             f"{status} {r.randint(0, 90000)} \"https://shop.example.com/\" \"{r.choice(UAS)}\" rt={r.random():.3f} "
             f'uct="0.00{r.randint(0, 9)}" req_id=', Tag("hex_id", f.hex(32))]]  # fmt: skip


def syslog_bsd(f: Fake, pii: bool) -> list[list]:
    """RFC 3164 (BSD syslog), as rsyslog writes it to a file or sends it (with a PRI)."""
    ms, r = f.tick(300), f.rng
    head = (f"<{r.choice((13, 30, 34, 38, 86))}>" if r.random() < 0.5 else "") + _time(ms).strftime("%b %e %H:%M:%S")
    head += f" {r.choice(HOSTS)} "
    pid, qid = r.randint(300, 65000), f.hex(10).upper()
    if pii:
        msg = [f"postfix/smtp[{pid}]: {qid}: to=<", Tag("EMAIL_ADDRESS", f.email()), f">, relay=mx.example.net[{f.ipv4()}]:25,"
               f" delay=0.{r.randint(10, 99)}, dsn=2.0.0, status=sent (250 2.0.0 OK ", Tag("epoch_s", str(ms // 1000)), " gsmtp)"]  # fmt: skip
    else:
        msg = r.choice((
            [f"sshd[{pid}]: Accepted publickey for deploy from {f.ipv4()} port {r.randint(1024, 65535)} ssh2: ED25519 SHA256:",
             Tag("hex_id", f.hex(43))],
            [f"sshd[{pid}]: Connection closed by authenticating user root {f.ipv4()} port {r.randint(1024, 65535)} [preauth]"],
            [f"CRON[{pid}]: (root) CMD (/usr/local/bin/backup.sh --target s3://backups-", Tag("hex_id", f.hex(6)), "/daily)"],
            [f"systemd[1]: Started Session {r.randint(1, 9999)} of User deploy."],
            ["systemd[1]: docker-", Tag("hex_id", f.hex(64)), ".scope: Deactivated successfully."],
            [f"kernel: [{r.randint(1, 9999999)}.{r.randint(0, 999999):06d}] EXT4-fs (nvme0n1p1): mounted filesystem "
             "with ordered data mode. Quota mode: none."],
            [f"postfix/qmgr[{pid}]: {qid}: removed"],
            ["sudo:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx"],
            [f"dhclient[{pid}]: DHCPACK of {f.ipv4()} from {f.ipv4()} (xid=0x", Tag("hex_id", f.hex(8)), ")"],
            ["kernel: nvme nvme0: I/O ", Tag("counter", f.counter()), " QID 3 timeout, completion polled"],
        ))  # fmt: skip
    return [[head, *msg]]


def syslog_5424(f: Fake, pii: bool) -> list[list]:
    """RFC 5424 syslog, structured data included."""
    ms, r = f.tick(300), f.rng
    app = r.choice(("billing", "scheduler", "certbot", "inventory"))
    head = f"<{r.choice((134, 165, 142))}>1 {iso(ms)} {r.choice(HOSTS)} {app} {r.randint(300, 65000)} "
    if pii:
        return [[head, *r.choice((['ID47 [billing@32473 customer="', Tag("PERSON", f.name()), '"] Refund issued for order ',
                                  Tag("long_id", f.long_id())],
                                 ["AUTH - Password reset requested for ", Tag("EMAIL_ADDRESS", f.email())]))]]  # fmt: skip
    return [[head, *r.choice((
        ['ID47 [origin ip="', f.ipv4(), '" software="rsyslogd" swVersion="', Tag("version", f.version()), '"] restart'],
        ["JOB [exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"", str(r.randint(1, 9999)), '"] Job ',
         Tag("uuid", f.uuid()), f" finished in {r.randint(3, 9000)} ms"],
        ["- - Cache warmed: ", Tag("counter", f.counter()), " bytes, ", str(r.randint(100, 99999)), " keys"],
        ["- - Certificate for api.shop.example.com renews in 29 days"],
    ))]]  # fmt: skip


def _stack(f: Fake) -> list[list]:
    cls = f.class_name()
    top = [[f.pick(("java.net.SocketTimeoutException: Read timed out",
                    "java.lang.IllegalStateException: Connection pool shut down",
                    "org.springframework.dao.DataIntegrityViolationException: could not execute statement"))]]  # fmt: skip
    frames = [["\tat ", Tag("class_name", cls), f".{f.pick(('handle', 'process', 'call', 'run'))}"
               f"({cls.rsplit('.', 1)[1]}.java:{f.rng.randint(20, 900)})"] for _ in range(f.rng.randint(2, 5))]  # fmt: skip
    return top + frames


def logback(f: Fake, pii: bool) -> list[list]:
    """log4j/logback's pattern and Spring Boot's default layout, with trace ids; ERRORs carry a stack."""
    ms, r = f.tick(80), f.rng
    level = "ERROR" if pii and r.random() < 0.3 else r.choice(LEVELS)
    when = _time(ms).strftime("%Y-%m-%d %H:%M:%S") + f".{ms % 1000:03d}"
    cls = f.class_name()
    if r.random() < 0.5:
        head = [when.replace(".", ","), f" {level:<5} [{r.choice(THREADS)}] ", Tag("class_name", cls), " - "]
    else:
        head = [when, f" {level:>5} 1 --- [shop,", Tag("hex_id", f.hex(32)), ",", Tag("hex_id", f.hex(16)),
                f"] [{r.choice(THREADS)[:15]:>15}] ", Tag("class_name", cls), " : "]  # fmt: skip
    if pii:
        msg = r.choice((
            ["Payment declined for customer ", Tag("PERSON", f.name()), ", card ", Tag("CREDIT_CARD", f.card())],
            ["Receipt sent to ", Tag("EMAIL_ADDRESS", f.email()), " for order ", Tag("long_id", f.long_id())],
            ["KYC check failed for applicant ssn=", Tag("US_SSN", f.ssn())],
            ["SEPA mandate created for ", Tag("PERSON", f.name()), " iban=", Tag("IBAN_CODE", f.iban())],
            ["Callback requested by ", Tag("PERSON", f.name()), " on ", Tag("PHONE_NUMBER", f.phone())],
        ))  # fmt: skip
    else:
        msg = r.choice((
            ["Order ", Tag("long_id", f.long_id()), f" placed: {r.randint(1, 9)} items, total {r.randint(5, 900)}.90 EUR"],
            ["HikariPool-1 - Start completed."],
            ["Tomcat started on port(s): 8080 (http) with context path ''"],
            [f"Started ShopApplication in {r.random() * 9:.3f} seconds (JVM running for {r.random() * 9 + 1:.1f})"],
            ["[Consumer clientId=consumer-orders-1, groupId=orders] Setting offset for partition orders-3 to the "
             "committed offset FetchPosition{offset=", Tag("counter", f.counter()), ", offsetEpoch=Optional[12]}"],
            ["Retrying request ", Tag("uuid", f.uuid()), " (attempt 2 of 5) after 503 from inventory-service"],
            ["Cache miss for key product:", Tag("long_id", f.long_id()), " ttl=300s"],
            [f"Scheduled task {r.choice(CLASSES)} completed in {r.randint(1, 5000)} ms"],
            [f"Slow query ({r.randint(500, 9000)} ms): select o.id, o.total from orders o where o.customer_id = ?"],
            ["Loaded build ", Tag("version", f.version()), " commit ", Tag("hex_id", f.hex(40)), " at ",
             Tag("epoch_ms", str(ms))],
        ))  # fmt: skip
    lines = [head + msg]
    return lines + _stack(f) if level == "ERROR" else lines


def python_logging(f: Fake, pii: bool) -> list[list]:
    """Python `logging`: basicConfig's default (LEVEL:name:message), the asctime layout, tracebacks."""
    ms, r = f.tick(120), f.rng
    level, name = r.choice(("INFO", "INFO", "DEBUG", "WARNING", "ERROR")), r.choice(PY_LOGGERS)
    if r.random() < 0.5:
        head = [f"{level}:{name}:"]
    else:
        when = _time(ms).strftime("%Y-%m-%d %H:%M:%S") + f",{ms % 1000:03d}"
        head = [f"{when} - {name} - {level} - "]
    if pii:
        msg = r.choice((["duplicate signup for ", Tag("EMAIL_ADDRESS", f.email()), " from ", Tag("PHONE_NUMBER", f.phone())],
                        ["Invoice emailed to ", Tag("PERSON", (n := f.name())), " <", Tag("EMAIL_ADDRESS", f.email(n)), ">"]))  # fmt: skip
        return [head + msg]
    msg = r.choice((
        [f"Starting new HTTPS connection ({r.randint(1, 4)}): api.stripe.com:443"],
        [f'https://api.stripe.com:443 "POST /v1/charges HTTP/1.1" 200 {r.randint(200, 9000)}'],
        ["Task app.billing.tasks.send_invoice[", Tag("uuid", f.uuid()), f"] succeeded in {r.random():.3f}s: None"],
        ["Found credentials in environment variables."],
        ["[generated in 0.00034s] {'pk_1': ", Tag("long_id", f.long_id()), "}"],
        [f"Worker exiting (pid: {r.randint(300, 65000)})"],
        ["Using botocore ", Tag("version", f.version()), " region eu-west-1"],
    ))  # fmt: skip
    lines = [head + msg]
    if level == "ERROR":
        lines += [["Traceback (most recent call last):"],
                  [f'  File "/srv/app/billing/tasks.py", line {r.randint(10, 400)}, in send_invoice'],
                  ["    customer = payload['customer_id']"], ["KeyError: 'customer_id'"]]  # fmt: skip
    return lines


def json_record(f: Fake, pii: bool) -> dict:
    """A structured log record with nested `request` and `user` objects, as JSON loggers write them."""
    ms, r = f.tick(60), f.rng
    record = {
        "ts": iso(ms), "level": r.choice(LEVELS), "logger": r.choice(("checkout", "cart", "payments", "search")),
        "msg": r.choice(("request completed", "payment authorized", "cart updated", "search served")),
        "trace_id": Tag("hex_id", f.hex(32)), "span_id": Tag("hex_id", f.hex(16)),
        "request": {"id": "req_" + f.hex(20), "method": r.choice(("GET", "POST")), "path": "/v1/carts/" + f.uuid(),
                    "status": r.choice((200, 200, 200, 201, 404, 502)), "duration_ms": r.randint(1, 3000)},
        "user": {"id": "usr_" + f.hex(12), "tier": r.choice(("free", "pro", "gold")), "created_ms": Num("epoch_ms", str(ms - r.randint(10**6, 10**10)))},
        "order_id": Tag("long_id", f.long_id()),
    }  # fmt: skip
    if record["request"]["status"] == 502:
        record["error"] = Text(("upstream returned 502:\n", '{"code":"unavailable","retry_after":30}\n\tat gateway'))
    if pii:
        pick = r.random()
        if pick < 0.5:
            name = f.name()
            record["user"].update(name=Tag("PERSON", name), email=Tag("EMAIL_ADDRESS", f.email(name)))
        elif pick < 0.8:
            record["request"]["body"] = Text(('{"phone":"', Tag("PHONE_NUMBER", f.phone()), '","plan":"pro"}'))
        else:
            record["payment"] = {"card": Tag("CREDIT_CARD", f.card()), "holder": Tag("PERSON", f.name())}
    return record


def json_log(f: Fake, pii: bool) -> list[list]:
    return [json_parts(json_record(f, pii))]


def klog(f: Fake, pii: bool) -> list[list]:
    """Kubernetes components' klog layout (controllers, kubelet)."""
    ms, r = f.tick(200), f.rng
    when = _time(ms).strftime("%m%d %H:%M:%S") + f".{ms % 1000:03d}{r.randint(0, 999):03d}"
    pod = f"checkout-{f.hex(9)}-{f.hex(5)}"
    msg = r.choice(([f'"Reconciling" controller="deployment" namespace="shop" name="{pod}"'],
                    ['"SyncLoop (PLEG): event for pod" pod="shop/' + pod + '" event={"ID":"', Tag("uuid", f.uuid()),
                     '","Type":"ContainerStarted"}'],
                    [Tag("module_path", "k8s.io/client-go@v0.28.3"), "/tools/cache/reflector.go:229: watch of *v1.Pod "
                     "ended with: very short watch"]))  # fmt: skip
    head = f"{r.choice('IIIW')}{when}       1 {r.choice(('reconciler.go', 'controller.go', 'kubelet.go'))}:{r.randint(50, 900)}] "
    return [[head, *msg]]


INNER = (logback, python_logging, json_log, klog)


def container(f: Fake, pii: bool) -> list[list]:
    """Kubernetes container logs: CRI (`TIME STREAM F line`) or Docker's json-file (`{"log": ...}`)."""
    inner = f.pick(INNER)(f, pii)
    ms, stream = f.tick(5), f.pick(("stdout", "stdout", "stderr"))
    if f.rng.random() < 0.5:
        return [[iso_ns(ms, f), f" {stream} F ", *line] for line in inner]
    return [json_parts({"log": Text((*line, "\n")), "stream": stream, "time": iso_ns(ms, f)}) for line in inner]


FORMATS = {  # file name: (format, share of the corpus's bytes)
    "access.log": (access, 0.25),
    "syslog.log": (syslog_bsd, 0.10),
    "syslog-5424.log": (syslog_5424, 0.05),
    "app-logback.log": (logback, 0.20),
    "app-python.log": (python_logging, 0.10),
    "app-json.log": (json_log, 0.20),
    "containers.log": (container, 0.10),
}
