"""Credentials that may not read everything: moto with authentication on, IAM users with narrow policies."""

import json

import pytest

from tests.conftest import run_pdscan
from tests.connectors.s3server import DUMMY_ENV, MotoServer

BUCKET = "guarded"
SECRET_LINE = "Call Dana Whitfield on (212) 555-0187 or dana.whitfield@example.com, SSN 536-90-4399\n"


def _policy(*statements) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


LIST = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{BUCKET}"}
READ = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
DENY_SECRET = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/hr/secret.txt"}


@pytest.fixture(scope="module")
def guarded():
    """A bucket, two IAM users with access keys, then authentication switched on. Yields (server, users)."""
    server = MotoServer()
    s3 = server.client()
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(
        Bucket=BUCKET,
        Key="hr/open.csv",
        Body=b"name,email\nAna Torres,ana.torres@example.com\nBo Li,bo.li@example.org\n",
    )
    s3.put_object(Bucket=BUCKET, Key="hr/secret.txt", Body=SECRET_LINE.encode())
    s3.put_object(Bucket=BUCKET, Key="hr/zz-notes.txt", Body=b"Reach the team at team.lead@example.net\n")
    iam = server.client("iam")
    users = {}
    for name, statements in {"scanner": (LIST, READ, DENY_SECRET), "reader": (READ,)}.items():
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="scan", PolicyDocument=_policy(*statements))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        users[name] = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}
    server.require_auth()
    yield server, users
    server.stop()


# With authentication on, moto 5 miscomputes the signature of a listing whose prefix holds a "/"
# (SignatureDoesNotMatch), so these tests list the prefix "hr", not "hr/".
def _run(server, user: dict, *args: str):
    env = {**DUMMY_ENV, **user, "AWS_ENDPOINT_URL": server.endpoint}
    return run_pdscan("scan", *args, "--format", "json", env=env, timeout=120)


def test_an_object_the_policy_denies_is_skipped_and_the_rest_scanned(guarded):
    server, users = guarded
    run = _run(server, users["scanner"], f"s3://{BUCKET}/hr")
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    assert {f["location"]["key"] for f in doc["findings"]} == {"hr/open.csv", "hr/zz-notes.txt"}
    assert [(c["container"], c["status"], c["reason"]) for c in doc["coverage"]] == [
        (f"s3://{BUCKET}/hr/secret.txt", "skipped", "permission_denied")
    ]
    (line,) = [ln for ln in run.stderr.splitlines() if "secret.txt" in ln]
    assert line == f"pdscan: skipped s3://{BUCKET}/hr/secret.txt: permission_denied (GetObject denied (AccessDenied))"
    secret = users["scanner"]["AWS_SECRET_ACCESS_KEY"]
    assert secret not in run.stdout + run.stderr and "Dana" not in run.stdout + run.stderr


def test_credentials_that_may_not_list_the_bucket_exit_2_with_one_line(guarded):
    server, users = guarded
    run = _run(server, users["reader"], f"s3://{BUCKET}/hr")
    assert run.returncode == 2
    errors = [ln for ln in run.stderr.splitlines() if ln.startswith("pdscan: error")]
    assert errors == [
        f"pdscan: error: s3://{BUCKET}: access denied when listing objects (the credentials need s3:ListBucket)"
    ]
    assert "Traceback" not in run.stderr


def test_unknown_credentials_are_rejected_with_one_line(guarded):
    server, _ = guarded
    bogus = {"AWS_ACCESS_KEY_ID": "AKIAEXAMPLENOTAUSER00", "AWS_SECRET_ACCESS_KEY": "not-a-real-secret-value"}
    run = _run(server, bogus, f"s3://{BUCKET}/hr")
    assert run.returncode == 2
    assert f"pdscan: error: s3://{BUCKET}: the credentials were rejected (InvalidAccessKeyId)" in run.stderr
    assert "not-a-real-secret-value" not in run.stderr + run.stdout
