"""Twilio's own Python helper library (`twilio` on PyPI) against the simulator binary.

If Twilio's library can create, fetch, page through and fail against the simulator exactly as it
does against api.twilio.com, the simulator speaks Twilio's API as Twilio's clients understand it,
not only as our own client does.

The library always builds URLs on https://api.twilio.com. Its supported extension point is the
`http_client` argument of `twilio.rest.Client`: `SimulatorHttpClient` below is a
`TwilioHttpClient` that sends each request to the simulator instead (edge/region settings only
change the host name within twilio.com, so they cannot reach a local server).
"""

import json
import os
import select
import subprocess
import time
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

REPO = Path(__file__).resolve().parents[2]
SIM_BINARY = Path(os.environ.get("SWITCHBOARD_SIM", REPO / "target" / "debug" / "switchboard-sim"))
TWILIO_API = "https://api.twilio.com"

ACCOUNT_SID = "AC" + "0ff1c1a1" * 4
AUTH_TOKEN = "official-client-token"
# One of the demo world's numbers (the simulator's binary serves the demo world under the
# account given on its command line), and recipients that are not demo customers, so no
# automatic reply lands in the middle of a test.
SENDER = "+14155550100"
OTHER_SENDER = "+14155550101"
RECIPIENT = "+13125550999"


class SimulatorHttpClient(TwilioHttpClient):
    """A TwilioHttpClient that sends requests meant for api.twilio.com to the simulator.

    It keeps every request it sends, so a test can tell how many pages the library fetched.
    """

    def __init__(self, base_url: str):
        super().__init__(timeout=10)
        self.base_url = base_url
        self.sent = []
        self.last_response = None
        # Loopback only: a proxy from the environment must never see these requests.
        self.session.trust_env = False

    def request(self, method, url, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        assert url.startswith(TWILIO_API + "/"), f"the library asked for {url}"
        url = self.base_url + url[len(TWILIO_API):]
        self.sent.append((method, url, dict(params or {})))
        self.last_response = super().request(
            method, url, params=params, data=data, headers=headers, auth=auth,
            timeout=timeout, allow_redirects=allow_redirects)
        return self.last_response


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    """The simulator binary on a free loopback port; yields its base URL."""
    assert SIM_BINARY.is_file(), f"{SIM_BINARY} is missing: build it with cargo build first"
    log_path = tmp_path_factory.mktemp("sim") / "stderr.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(SIM_BINARY), "--listen", "127.0.0.1:0",
             "--account-sid", ACCOUNT_SID, "--auth-token", AUTH_TOKEN],
            stdout=subprocess.PIPE, stderr=log, text=True,
        )
    try:
        # The binary prints exactly one line, `listening on http://127.0.0.1:PORT`, once ready.
        ready, _, _ = select.select([proc.stdout], [], [], 15)
        line = proc.stdout.readline() if ready else ""
        prefix = "listening on "
        if not line.startswith(prefix):
            proc.kill()
            raise RuntimeError(f"simulator did not start (stdout {line!r}):\n"
                               + log_path.read_text())
        yield line[len(prefix):].strip()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def http(sim):
    return SimulatorHttpClient(sim)


@pytest.fixture
def client(http):
    # environment={} keeps TWILIO_* variables of the machine (edge, region) out of the test.
    return Client(ACCOUNT_SID, AUTH_TOKEN, http_client=http, environment={})


def inject_inbound(base_url: str, from_: str, to: str, body: str) -> str:
    """A customer's message through the simulator's admin API; returns its SID."""
    request = urllib.request.Request(
        base_url + "/_sim/inbound",
        data=json.dumps({"account_sid": ACCOUNT_SID, "from": from_, "to": to,
                         "body": body}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 201
        return json.load(response)["sid"]


def test_create_then_fetch(client, http):
    created = client.messages.create(to=RECIPIENT, from_=SENDER, body="Hello from twilio-python")
    assert created.sid.startswith("SM") and len(created.sid) == 34
    assert created.account_sid == ACCOUNT_SID
    assert (created.to, created.from_, created.body) == (RECIPIENT, SENDER,
                                                           "Hello from twilio-python")
    assert created.status == "queued"
    assert created.direction == "outbound-api"
    assert (created.num_segments, created.num_media) == ("1", "0")
    assert created.api_version == "2010-04-01"
    # The library parses RFC 2822 dates; a date it cannot parse would come back as None.
    assert isinstance(created.date_created, datetime)
    assert abs(datetime.now(timezone.utc) - created.date_created) < timedelta(minutes=5)
    method, url, _ = http.sent[-1]
    assert method == "POST"
    assert urlsplit(url).path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"

    fetched = client.messages(created.sid).fetch()
    assert (fetched.sid, fetched.body, fetched.to) == (created.sid, created.body, RECIPIENT)
    assert fetched.date_created == created.date_created

    # Through the simulated lifecycle to delivered, with a send date and a price.
    deadline = time.monotonic() + 15
    while fetched.status != "delivered" and time.monotonic() < deadline:
        time.sleep(0.2)
        fetched = fetched.fetch()
    assert fetched.status == "delivered"
    assert isinstance(fetched.date_sent, datetime)
    assert fetched.price is not None and float(fetched.price) < 0
    assert fetched.price_unit == "USD"


def test_paging_follows_next_page_uri(client, http, sim):
    # Seven messages from a customer of our own; in pages of three that is 3 + 3 + 1.
    customer = "+13125550777"
    sids = [inject_inbound(sim, customer, OTHER_SENDER, f"message {i}") for i in range(7)]
    newest_first = list(reversed(sids))

    http.sent.clear()
    messages = client.messages.list(from_=customer, to=OTHER_SENDER, page_size=3)
    assert [m.sid for m in messages] == newest_first
    assert all(m.direction == "inbound" and m.status == "received" for m in messages)
    # The library fetched three pages itself: the first by filters, the next two by the
    # next_page_uri the simulator returned, each with a page token.
    assert len(http.sent) == 3
    queries = [parse_qs(urlsplit(url).query) for _, url, _ in http.sent[1:]]
    assert [q["Page"] for q in queries] == [["1"], ["2"]]
    assert all(q["PageToken"][0].startswith("PA") and q["PageSize"] == ["3"] for q in queries)

    # A limit stops the library after the page that reaches it.
    http.sent.clear()
    limited = client.messages.list(from_=customer, page_size=3, limit=5)
    assert [m.sid for m in limited] == newest_first[:5]
    assert len(http.sent) == 2

    # stream() is lazy but ends in the same place.
    assert [m.sid for m in client.messages.stream(to=OTHER_SENDER, from_=customer,
                                                  page_size=3)] == newest_first

    # Explicit pages, forwards and back.
    first = client.messages.page(from_=customer, page_size=3)
    second = first.next_page()
    third = second.next_page()
    assert [m.sid for m in third] == newest_first[6:]
    assert third.next_page() is None
    back = third.previous_page()
    assert [m.sid for m in back] == newest_first[3:6]

    # The library's own serialisation of a date filter (DateSent>) is understood.
    yesterday = datetime.now(timezone.utc) - timedelta(days=1)
    recent = client.messages.list(from_=customer, date_sent_after=yesterday, page_size=3)
    assert [m.sid for m in recent] == newest_first


def test_incoming_phone_numbers(client):
    numbers = {n.phone_number: n for n in client.incoming_phone_numbers.list()}
    assert {SENDER, OTHER_SENDER} <= set(numbers)
    assert numbers[SENDER].capabilities["sms"] is True
    assert numbers[SENDER].sid.startswith("PN")


@pytest.mark.parametrize(
    ("to", "code"),
    [
        ("+15005550001", 21211),  # Twilio's magic "invalid To" number
        ("+15005550004", 21610),  # Twilio's magic "unsubscribed recipient" number
    ],
)
def test_create_errors_are_twilio_rest_exceptions(client, http, to, code):
    with pytest.raises(TwilioRestException) as raised:
        client.messages.create(to=to, from_=SENDER, body="hi")
    error = raised.value
    assert (error.code, error.status, error.method) == (code, 400, "POST")
    assert error.msg.startswith("Unable to create record: ") and len(error.msg) > 26
    # Twilio's body repeats the HTTP status and links the code's documentation.
    body = json.loads(http.last_response.text)
    assert body["status"] == 400
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"


def test_unknown_message_and_bad_credentials(client, http, sim):
    with pytest.raises(TwilioRestException) as raised:
        client.messages("SM" + "0" * 32).fetch()
    assert (raised.value.code, raised.value.status) == (20404, 404)

    stranger = Client(ACCOUNT_SID, "not-the-token", http_client=SimulatorHttpClient(sim),
                      environment={})
    # (A create, not a list: the library turns a failed list page into a bare TwilioException
    # without the code, against Twilio too.)
    with pytest.raises(TwilioRestException) as raised:
        stranger.messages.create(to=RECIPIENT, from_=SENDER, body="hi")
    assert (raised.value.code, raised.value.status) == (20003, 401)
